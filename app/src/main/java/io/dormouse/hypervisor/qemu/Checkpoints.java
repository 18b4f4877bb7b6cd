package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Live checkpoints. QEMU 7.2's {@code background-snapshot} write-protects guest RAM with
 * userfaultfd; the kernel supports that for anonymous and shmem memory but not for a shared
 * mapping of a file on a disk file system, where QEMU refuses the capability. So: anonymous
 * RAM gets a background snapshot, file-backed RAM a short pause (device state plus a copy
 * of the RAM file, then {@code cont}). docs/hypervisor.md has the measurements.
 */
final class Checkpoints {

    private Checkpoints() {
    }

    /** Pauses the guest, saves devices, copies the RAM file and disks, resumes; returns the pause. */
    static SavedState pauseAndCopy(QemuMachine m, Path directory, StateFiles files, QemuSettings settings,
                                   String version) throws IOException, InterruptedException {
        QmpClient qmp = m.process().qmp();
        Migration.capabilities(qmp, Map.of("x-ignore-shared", true, "events", true, "background-snapshot", false),
                settings.qmpTimeout());
        long t0 = System.nanoTime();
        qmp.execute("stop", settings.qmpTimeout());
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + QemuCommand.shellWord(directory.resolve("devices"))),
                settings.qmpTimeout());
        Migration.await(m.process(), settings.saveTimeout());
        files.capture(m, directory, true);
        qmp.execute("cont", settings.qmpTimeout());
        Duration paused = Duration.ofNanos(System.nanoTime() - t0);
        return files.seal(m, directory, version, paused);
    }

    /** Writes the whole state while the guest runs; the pause is QEMU's reported downtime. */
    static SavedState background(QemuMachine m, Path directory, StateFiles files, QemuSettings settings,
                                 String version) throws IOException, InterruptedException {
        if (!m.spec().disks().isEmpty()) {
            throw new IOException("a background snapshot does not cover disks; give the VM file-backed RAM");
        }
        QmpClient qmp = m.process().qmp();
        Migration.capabilities(qmp, Map.of("x-ignore-shared", false, "events", true, "background-snapshot", true),
                settings.qmpTimeout());
        try {
            qmp.execute("migrate", Map.of("uri", "exec:cat > " + QemuCommand.shellWord(directory.resolve("state"))),
                    settings.qmpTimeout());
            Migration.await(m.process(), settings.saveTimeout());
            long downtime = qmp.execute("query-migrate", settings.qmpTimeout()).path("downtime").asLong();
            return files.seal(m, directory, version, Duration.ofMillis(downtime));
        } finally {
            Migration.capabilities(qmp, Map.of("background-snapshot", false), settings.qmpTimeout());
        }
    }
}
