package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.VmSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The QEMU command line of a spec, as guest/NOTES.md found it works for hibernation with
 * QEMU 7.2: no default devices (their ROMs would go into the stream), q35, RAM in a shared
 * file, a NIC without option ROM, console to a file, QMP on a Unix socket. Host forwarding
 * is added over QMP once the process runs, so a pre-started process can take any address.
 *
 * @param spec the machine
 * @param accel {@code kvm} or {@code tcg}
 * @param fileBackedRam RAM in {@code paths.ram()}, shared, so hibernation saves device state only
 */
record QemuCommand(VmSpec spec, String accel, boolean fileBackedRam) {

    /** Where one process's files are. */
    record Paths(Path ram, Path console, Path qmp) {
    }

    /** The full command for one process; {@code incoming} adds {@code -incoming defer}. */
    List<String> arguments(String binary, Paths paths, boolean incoming) {
        List<String> args = new ArrayList<>();
        args.add(binary);
        args.addAll(machine(paths, false));
        if (incoming) {
            args.add("-incoming");
            args.add("defer");
        }
        return args;
    }

    /**
     * Identifies what the saved state depends on: the machine arguments with this process's
     * own paths left out, so a state restores into any process started with the same shape.
     */
    String fingerprint() {
        List<String> shape = machine(new Paths(Path.of("RAM"), Path.of("CONSOLE"), Path.of("QMP")), true);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(String.join("\u0000", shape).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The machine arguments; {@code shape} puts placeholders for the files a VM has of its own. */
    private List<String> machine(Paths paths, boolean shape) {
        List<String> args = new ArrayList<>(List.of("-accel", accel, "-nodefaults", "-no-user-config",
                "-display", "none"));
        args.add("-machine");
        args.add(fileBackedRam ? "q35,memory-backend=ram0" : "q35");
        args.addAll(List.of("-cpu", spec.cpuModel(), "-smp", Integer.toString(spec.vcpus()),
                "-m", Integer.toString(spec.memoryMib())));
        if (fileBackedRam) {
            args.add("-object");
            args.add("memory-backend-file,id=ram0,size=" + spec.memoryMib() + "M,mem-path=" + option(paths.ram())
                    + ",share=on");
        }
        if (spec.boot() instanceof VmSpec.KernelBoot boot) {
            args.addAll(List.of("-kernel", shape ? "KERNEL" : boot.kernel().toString()));
            if (boot.initrd() != null) {
                args.addAll(List.of("-initrd", shape ? "INITRD" : boot.initrd().toString()));
            }
            args.addAll(List.of("-append", boot.cmdline()));
        }
        for (int i = 0; i < spec.disks().size(); i++) {
            args.add("-drive");
            args.add("id=disk" + i + ",if=virtio,format=qcow2,file="
                    + (shape ? "DISK" + i : option(spec.disks().get(i).overlay())));
        }
        args.addAll(List.of("-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=",
                "-device", "virtio-balloon-pci,id=balloon0",
                "-serial", "file:" + paths.console(),
                "-qmp", "unix:" + paths.qmp() + ",server=on,wait=off"));
        return args;
    }

    /** A path inside a QEMU option list, where a comma is written twice. */
    private static String option(Path path) {
        return path.toString().replace(",", ",,");
    }

    /** A path as one word of the shell that QEMU's {@code exec:} migration runs. */
    static String shellWord(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
