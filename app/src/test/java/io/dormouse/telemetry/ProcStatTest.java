package io.dormouse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU time and resident memory of real processes (this JVM, a spawned sleep) read from /proc. */
class ProcStatTest {

    private final ProcStat proc = ProcStat.system();

    @Test
    void commandNamesWithSpacesAndParenthesesDoNotShiftTheFields() {
        String stat = "4242 (qemu (vm) 1) S 1 4242 4242 0 -1 4194560 5000 0 12 0 250 130 0 0 20 0 5 0 99 1 2 3";

        assertThat(ProcStat.cpuSeconds(stat)).isEqualTo(3.8);
        assertThat(ProcStat.rssBytes("Name:\tqemu\nVmPeak:\t 9 kB\nVmRSS:\t  2048 kB\nThreads:\t5\n"))
                .isEqualTo(2048L * 1024);
        assertThat(ProcStat.rssBytes("Name:\tkthreadd\nThreads:\t1\n")).isZero();
    }

    @Test
    void cpuTimeOfThisJvmMatchesWhatTheJdkReports() {
        long pid = ProcessHandle.current().pid();
        double before = proc.read(pid).orElseThrow().cpuSeconds();
        Duration jdk = ProcessHandle.current().info().totalCpuDuration().orElseThrow();
        double after = proc.read(pid).orElseThrow().cpuSeconds();

        // one clock tick (10 ms) of rounding either way
        assertThat(jdk.toNanos() / 1e9).isBetween(before - 0.011, after + 0.011);
        assertThat(before).isPositive();
    }

    @Test
    void residentMemoryGrowsWhenThisJvmTouchesMemory() {
        long pid = ProcessHandle.current().pid();
        // native memory, fresh from the kernel: heap pages might be resident already
        try (Arena arena = Arena.ofConfined()) {
            long before = proc.read(pid).orElseThrow().rssBytes();
            MemorySegment touched = arena.allocate(256L << 20);
            for (long i = 0; i < touched.byteSize(); i += 4096) {
                touched.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
            }
            long after = proc.read(pid).orElseThrow().rssBytes();

            assertThat(after - before).as("RSS growth after touching 256 MiB").isGreaterThan(192L << 20);
        }
    }

    @Test
    void aProcessThatEndedReadsAsGone() throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            ProcStat.Usage usage = proc.read(sleep.pid()).orElseThrow();
            assertThat(usage.rssBytes()).isBetween(1L, 64L << 20);
            assertThat(usage.cpuSeconds()).isBetween(0.0, 1.0);
        } finally {
            sleep.destroy();
            sleep.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(proc.read(sleep.pid())).isEmpty();
    }
}
