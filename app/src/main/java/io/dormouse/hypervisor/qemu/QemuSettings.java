package io.dormouse.hypervisor.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the QEMU driver runs: the binary, where per-VM files go, acceleration, the pool of
 * pre-started processes, whether guest RAM lives in a file, and its time limits.
 *
 * @param binary        the {@code qemu-system-x86_64} to run (a name looked up on the PATH, or a path)
 * @param dataDir       per-VM directories (RAM file, logs) go under {@code dataDir/vms}
 * @param acceleration  KVM, TCG or AUTO (probe KVM, else TCG)
 * @param poolSize      pre-started processes waiting for a restore, per machine shape; 0 for none
 * @param fileBackedRam false forces every VM's RAM into the migration stream (the fallback)
 * @param qmpTimeout    for each QMP command and for the QMP socket to appear
 * @param stopTimeout   how long a guest gets to power down before QEMU is told to quit
 * @param saveTimeout   for a migration (save or load) to complete
 * @param addressOctet  machines get addresses 127.addressOctet.x.y
 * @param probeKernel   a Linux kernel that {@code AUTO} boots under KVM to see whether KVM works;
 *                      null: AUTO cannot probe and uses TCG
 */
public record QemuSettings(String binary, Path dataDir, Acceleration acceleration, int poolSize,
                           boolean fileBackedRam, Duration qmpTimeout, Duration stopTimeout, Duration saveTimeout,
                           int addressOctet, Path probeKernel) {

    public QemuSettings {
        if (binary == null || binary.isBlank()) {
            throw new IllegalArgumentException("binary must name the QEMU program, got " + binary);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(acceleration, "acceleration");
        if (poolSize < 0 || poolSize > 64) {
            throw new IllegalArgumentException("poolSize must be 0 to 64, got " + poolSize);
        }
        for (Duration d : new Duration[] {qmpTimeout, stopTimeout, saveTimeout}) {
            if (d == null || !d.isPositive()) {
                throw new IllegalArgumentException("timeouts must be positive, got qmp " + qmpTimeout + ", stop "
                        + stopTimeout + ", save " + saveTimeout);
            }
        }
        if (addressOctet < 0 || addressOctet > 255) {
            throw new IllegalArgumentException("addressOctet must be 0 to 255, got " + addressOctet);
        }
    }

    /** The defaults: qemu-system-x86_64 from the PATH, AUTO, no pool, file-backed RAM, 10/10/60 s, no probe kernel. */
    public static QemuSettings defaults(Path dataDir) {
        return new QemuSettings("qemu-system-x86_64", dataDir, Acceleration.AUTO, 0, true, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(60), 77, null);
    }

    public QemuSettings withAcceleration(Acceleration a) {
        return new QemuSettings(binary, dataDir, a, poolSize, fileBackedRam, qmpTimeout, stopTimeout, saveTimeout,
                addressOctet, probeKernel);
    }

    public QemuSettings withPoolSize(int size) {
        return new QemuSettings(binary, dataDir, acceleration, size, fileBackedRam, qmpTimeout, stopTimeout,
                saveTimeout, addressOctet, probeKernel);
    }

    public QemuSettings withFileBackedRam(boolean on) {
        return new QemuSettings(binary, dataDir, acceleration, poolSize, on, qmpTimeout, stopTimeout, saveTimeout,
                addressOctet, probeKernel);
    }

    public QemuSettings withStopTimeout(Duration timeout) {
        return new QemuSettings(binary, dataDir, acceleration, poolSize, fileBackedRam, qmpTimeout, timeout,
                saveTimeout, addressOctet, probeKernel);
    }

    public QemuSettings withAddressOctet(int octet) {
        return new QemuSettings(binary, dataDir, acceleration, poolSize, fileBackedRam, qmpTimeout, stopTimeout,
                saveTimeout, octet, probeKernel);
    }

    public QemuSettings withProbeKernel(Path kernel) {
        return new QemuSettings(binary, dataDir, acceleration, poolSize, fileBackedRam, qmpTimeout, stopTimeout,
                saveTimeout, addressOctet, kernel);
    }
}
