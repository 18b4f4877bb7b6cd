package io.dormouse.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a process's CPU time and resident memory from procfs (proc_pid_stat(5), proc_pid_status(5)). CPU
 * time covers every thread of the process, so QEMU's vCPU and I/O threads are all in it.
 */
final class ProcStat {

    /**
     * Clock ticks per second of the times in /proc/PID/stat: USER_HZ, which Linux fixes at 100 for user
     * space on every architecture it exports these files on (the kernel's own HZ may differ).
     */
    static final int USER_HZ = 100;

    /** What one read found. */
    record Usage(double cpuSeconds, long rssBytes) {
    }

    private final Path proc;

    ProcStat(Path proc) {
        this.proc = proc;
    }

    static ProcStat system() {
        return new ProcStat(Path.of("/proc"));
    }

    /** The process's usage now; empty when it is gone or its files cannot be read. */
    Optional<Usage> read(long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        try {
            return Optional.of(new Usage(cpuSeconds(Files.readString(dir.resolve("stat"))),
                    rssBytes(Files.readString(dir.resolve("status")))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** utime + stime, fields 14 and 15; the command name (field 2) may hold spaces and ')', so count from the last ')'. */
    static double cpuSeconds(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("no command name in /proc stat line: " + stat);
        }
        String[] fields = stat.substring(end + 2).split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return ticks / (double) USER_HZ;
    }

    /** {@code VmRSS:  1234 kB}; a kernel thread has none, which counts as 0. */
    static long rssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).strip().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IllegalArgumentException("unexpected VmRSS line: " + line);
                }
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }
}
