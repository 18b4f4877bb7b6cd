package io.dormouse.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether a Linux guest really runs under an accelerator: boots {@code kernel}
 * without a root file system, which ends in a kernel panic after the whole kernel
 * initialisation, and QEMU exits ({@code panic=-1}, {@code -no-reboot}). Opening
 * {@code /dev/kvm} is not enough, nor is firmware output: under nested KVM on the
 * development machine SeaBIOS runs, then the kernel hangs before its first message.
 */
final class AccelerationProbe {

    private static final Logger LOG = LoggerFactory.getLogger(AccelerationProbe.class);

    private AccelerationProbe() {
    }

    /** For {@code AUTO}: true when {@code kernel} runs under KVM; false without a kernel to try. */
    static boolean kvmRuns(String binary, Path kernel) throws InterruptedException {
        if (kernel == null || !Files.isReadable(kernel)) {
            LOG.info("acceleration auto: no probe kernel ({}) to try KVM with, using TCG", kernel);
            return false;
        }
        boolean works = runs(binary, "kvm", kernel, Duration.ofSeconds(10));
        LOG.info("acceleration auto: a probe guest {} under KVM", works ? "ran" : "did not run");
        return works;
    }

    /** True when the kernel runs to its panic under {@code accel} within {@code timeout}. */
    static boolean runs(String binary, String accel, Path kernel, Duration timeout) throws InterruptedException {
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory("dormouse-accel");
            Path console = dir.resolve("console.log");
            process = new ProcessBuilder(List.of(binary, "-accel", accel, "-nodefaults", "-no-user-config",
                    "-display", "none", "-machine", "q35", "-m", "128", "-no-reboot",
                    "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1",
                    "-serial", "file:" + console))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
            boolean ended = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return ended && Files.exists(console)
                    && Files.readString(console, StandardCharsets.ISO_8859_1).contains("Kernel panic");
        } catch (IOException e) {
            return false;
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
