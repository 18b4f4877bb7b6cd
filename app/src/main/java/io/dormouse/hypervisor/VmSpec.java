package io.dormouse.hypervisor;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a VM is made of, as a hypervisor starts it: the same spec starts, hibernates and
 * restores a machine. The constructor checks values; {@link Hypervisor#start} checks what
 * depends on the host (files exist, the address is free) before starting anything.
 *
 * @param name        lower case letters, digits and '-', 1-63 characters
 * @param vcpus       virtual CPUs, 1 to 64
 * @param memoryMib   guest RAM in MiB, 16 to 1048576
 * @param boot        a kernel and initrd, or the first disk
 * @param disks       qcow2 overlays over shared base images
 * @param ports       guest TCP ports reachable on the machine's address, host port = guest port
 * @param cpuModel    the QEMU CPU model, such as {@code max} or {@code qemu64}
 * @param readiness   when the guest counts as ready
 * @param address     a loopback address in 127.0.0.0/8 to use, or null to have one allocated
 * @param fileBackedRam guest RAM in a file, so hibernation saves device state only; false
 *                    saves RAM and devices as one migration stream
 */
public record VmSpec(String name, int vcpus, int memoryMib, Boot boot, List<Disk> disks, List<Integer> ports,
                     String cpuModel, Readiness readiness, InetAddress address, boolean fileBackedRam) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern CPU_MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");

    /** How the guest boots. */
    public sealed interface Boot {
    }

    /** Direct kernel boot; {@code initrd} may be null. */
    public record KernelBoot(Path kernel, Path initrd, String cmdline) implements Boot {
        public KernelBoot {
            Objects.requireNonNull(kernel, "boot.kernel");
            cmdline = cmdline == null ? "" : cmdline;
            if (cmdline.contains("\n")) {
                throw new IllegalArgumentException("boot.cmdline must be one line, got '" + cmdline + "'");
            }
        }
    }

    /** Firmware boot from the first of the spec's disks. */
    public record DiskBoot() implements Boot {
    }

    /**
     * A disk: {@code overlay} is this VM's qcow2 file over {@code base}, created when missing.
     */
    public record Disk(Path base, Path overlay) {
        public Disk {
            Objects.requireNonNull(base, "disk base");
            Objects.requireNonNull(overlay, "disk overlay");
        }
    }

    /** When a started or restored guest counts as ready, and how long to wait for it. */
    public sealed interface Readiness {
        int port();

        Duration timeout();
    }

    /** Ready when the guest port accepts a TCP connection. */
    public record TcpReadiness(int port, Duration timeout) implements Readiness {
    }

    /** Ready when {@code GET path} on the guest port answers 2xx. */
    public record HttpReadiness(int port, String path, Duration timeout) implements Readiness {
        public HttpReadiness {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("readiness.path must start with '/', got " + path);
            }
        }
    }

    public VmSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-63 of a-z, 0-9, '-' starting with a letter or digit, got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        range("vcpus", vcpus, 1, 64);
        range("memoryMib", memoryMib, 16, 1 << 20);
        Objects.requireNonNull(boot, "boot");
        disks = List.copyOf(disks == null ? List.of() : disks);
        if (boot instanceof DiskBoot && disks.isEmpty()) {
            throw new IllegalArgumentException("disks must hold the boot disk when boot is from disk, got none");
        }
        ports = List.copyOf(ports == null ? List.of() : ports);
        var seen = new HashSet<Integer>();
        for (int i = 0; i < ports.size(); i++) {
            range("ports[" + i + "]", ports.get(i), 1, 65535);
            if (!seen.add(ports.get(i))) {
                throw new IllegalArgumentException("ports must be distinct, got " + ports.get(i) + " twice");
            }
        }
        if (cpuModel == null || !CPU_MODEL.matcher(cpuModel).matches()) {
            throw new IllegalArgumentException("cpuModel must be a QEMU CPU model name such as 'max', got " + cpuModel);
        }
        Objects.requireNonNull(readiness, "readiness");
        if (!ports.contains(readiness.port())) {
            throw new IllegalArgumentException("readiness.port must be one of ports " + ports + ", got "
                    + readiness.port());
        }
        if (readiness.timeout() == null || !readiness.timeout().isPositive()) {
            throw new IllegalArgumentException("readiness.timeout must be positive, got " + readiness.timeout());
        }
        if (address != null && !(address instanceof Inet4Address && address.isLoopbackAddress())) {
            throw new IllegalArgumentException("address must be an IPv4 loopback address in 127.0.0.0/8, got "
                    + address.getHostAddress());
        }
    }

    /**
     * A spec booting {@code kernel} with {@code initrd}, one vCPU, file-backed RAM, CPU model
     * {@code max}, ready when {@code GET /healthz} on {@code port} answers within 60 s.
     */
    public static VmSpec kernel(String name, int memoryMib, Path kernel, Path initrd, String cmdline, int port) {
        return new VmSpec(name, 1, memoryMib, new KernelBoot(kernel, initrd, cmdline), List.of(), List.of(port),
                "max", new HttpReadiness(port, "/healthz", Duration.ofSeconds(60)), null, true);
    }

    public VmSpec withName(String newName) {
        return new VmSpec(newName, vcpus, memoryMib, boot, disks, ports, cpuModel, readiness, address, fileBackedRam);
    }

    public VmSpec withAddress(InetAddress newAddress) {
        return new VmSpec(name, vcpus, memoryMib, boot, disks, ports, cpuModel, readiness, newAddress, fileBackedRam);
    }

    public VmSpec withMemoryMib(int newMemoryMib) {
        return new VmSpec(name, vcpus, newMemoryMib, boot, disks, ports, cpuModel, readiness, address, fileBackedRam);
    }

    public VmSpec withPorts(List<Integer> newPorts, Readiness newReadiness) {
        return new VmSpec(name, vcpus, memoryMib, boot, disks, newPorts, cpuModel, newReadiness, address,
                fileBackedRam);
    }

    public VmSpec withBoot(Boot newBoot) {
        return new VmSpec(name, vcpus, memoryMib, newBoot, disks, ports, cpuModel, readiness, address, fileBackedRam);
    }

    public VmSpec withFileBackedRam(boolean on) {
        return new VmSpec(name, vcpus, memoryMib, boot, disks, ports, cpuModel, readiness, address, on);
    }

    /**
     * Fails with {@code INVALID_SPEC} naming the field when a file the spec names (kernel,
     * initrd, disk base image) is not a readable file: checked before anything starts.
     */
    public void requireFiles() {
        if (boot instanceof KernelBoot k) {
            requireFile("boot.kernel", k.kernel());
            if (k.initrd() != null) {
                requireFile("boot.initrd", k.initrd());
            }
        }
        for (int i = 0; i < disks.size(); i++) {
            requireFile("disks[" + i + "].base", disks.get(i).base());
        }
    }

    private void requireFile(String field, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new HypervisorException(HypervisorException.Kind.INVALID_SPEC, name,
                    field + " must be a readable file, got " + file + " (" + (Files.exists(file) ? "not readable"
                            : "no such file") + ")");
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be " + min + " to " + max + ", got " + value);
        }
    }
}
