package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.HypervisorException;
import io.dormouse.hypervisor.HypervisorException.Kind;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The driver's files: per-VM directories under the data directory, QMP sockets in a short
 * temporary directory (a Unix socket path holds at most 107 bytes), and the parts of a saved
 * state. A saved RAM file is only ever copied from: a restored guest writes into its RAM file.
 */
final class StateFiles {

    /** The migration stream a restore reads: device state, or the whole state. */
    record Stream(Path file) {
    }

    private final Path vms;
    private final Path pool;
    private final Path sockets;

    StateFiles(Path dataDir) throws IOException {
        this.vms = Files.createDirectories(dataDir.resolve("vms"));
        this.pool = Files.createDirectories(dataDir.resolve("pool"));
        this.sockets = Files.createTempDirectory("dm");
        sockets.toFile().deleteOnExit();
    }

    Path machineDirectory(String name) throws IOException {
        return Files.createDirectories(vms.resolve(name));
    }

    Path poolDirectory(long sequence) throws IOException {
        return Files.createDirectories(pool.resolve(Long.toString(sequence)));
    }

    Path qmpSocket(long sequence) {
        return sockets.resolve(sequence + ".sock");
    }

    /** Creates each missing disk overlay over its base image with qemu-img. */
    void createOverlays(VmSpec spec) throws IOException, InterruptedException {
        for (VmSpec.Disk disk : spec.disks()) {
            if (Files.exists(disk.overlay())) {
                continue;
            }
            String format = isQcow2(disk.base()) ? "qcow2" : "raw";
            Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "-F", format,
                    "-b", disk.base().toAbsolutePath().toString(), disk.overlay().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("qemu-img create " + disk.overlay() + " failed: " + out.strip()
                        + " (Debian package qemu-utils)");
            }
        }
    }

    /**
     * Puts the RAM file (moved, or copied when the guest runs on) and copies of the disk
     * overlays into {@code directory}. Call while the guest is paused or gone.
     */
    void capture(QemuMachine machine, Path directory, boolean guestRunsOn) throws IOException {
        if (machine.command().fileBackedRam()) {
            Path ram = machine.process().paths().ram();
            if (guestRunsOn) {
                Files.copy(ram, directory.resolve("ram"), StandardCopyOption.REPLACE_EXISTING);
            } else {
                move(ram, directory.resolve("ram"));
            }
        }
        List<VmSpec.Disk> disks = machine.spec().disks();
        for (int i = 0; i < disks.size(); i++) {
            Files.copy(disks.get(i).overlay(), directory.resolve("disk" + i), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Syncs the parts in {@code directory} and the directory itself, and describes them. */
    SavedState seal(QemuMachine machine, Path directory, String version, Duration paused) throws IOException {
        List<SavedState.Part> parts = new ArrayList<>();
        for (String name : List.of("ram", "devices", "state")) {
            part(directory, name, name.equals("ram") ? SavedState.Layout.PAGE_ALIGNED : SavedState.Layout.STREAM)
                    .ifPresent(parts::add);
        }
        for (int i = 0; i < machine.spec().disks().size(); i++) {
            part(directory, "disk" + i, SavedState.Layout.PAGE_ALIGNED).ifPresent(parts::add);
        }
        for (SavedState.Part part : parts) {
            sync(part.file());
        }
        sync(directory);
        return new SavedState(parts, version, machine.command().fingerprint(), paused);
    }

    static void requireCompatible(String machine, SavedState state, String version, String fingerprint) {
        if (!version.equals(state.qemuVersion())) {
            throw new HypervisorException(Kind.INCOMPATIBLE_STATE, machine, "the state was saved by QEMU "
                    + state.qemuVersion() + ", this is QEMU " + version + ": restore refused");
        }
        if (!fingerprint.equals(state.machineFingerprint())) {
            throw new HypervisorException(Kind.INCOMPATIBLE_STATE, machine, "the state was saved with other machine"
                    + " arguments (fingerprint " + state.machineFingerprint() + ", the spec gives " + fingerprint
                    + "): restore refused");
        }
    }

    static Stream stream(String machine, SavedState state, boolean fileRam) {
        if (fileRam) {
            file(machine, state, "ram");
        }
        return new Stream(file(machine, state, fileRam ? "devices" : "state"));
    }

    /** Copies the state's RAM part to a new file {@code target}. */
    void copyRamTo(SavedState state, Path target) throws IOException {
        Optional<SavedState.Part> ram = find(state, "ram");
        if (ram.isPresent()) {
            try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                file.setLength(Files.size(ram.get().file()));
            }
            SparseCopy.copyOver(ram.get().file(), target);
        }
    }

    /** Copies the state's RAM part over the existing RAM file of a waiting process, in place (it is mapped). */
    void copyRamInto(SavedState state, Path target) throws IOException {
        Optional<SavedState.Part> ram = find(state, "ram");
        if (ram.isEmpty()) {
            return;
        }
        SparseCopy.copyOver(ram.get().file(), target);
    }

    void restoreDisks(VmSpec spec, SavedState state) throws IOException {
        for (int i = 0; i < spec.disks().size(); i++) {
            Path saved = file(spec.name(), state, "disk" + i);
            Files.copy(saved, spec.disks().get(i).overlay(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    void deleteRam(QemuProcess process) {
        try {
            Files.deleteIfExists(process.paths().ram());
            Files.deleteIfExists(process.paths().qmp());
        } catch (IOException e) {
            // a stale RAM file is removed with the VM's directory later
        }
    }

    void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // partial files of a failed save: harmless, and named in the error
        }
    }

    private static Path file(String machine, SavedState state, String name) {
        SavedState.Part part = find(state, name).orElseThrow(() -> new HypervisorException(Kind.RESTORE_FAILED,
                machine, "the saved state has no part '" + name + "'"));
        if (!Files.isRegularFile(part.file())) {
            throw new HypervisorException(Kind.RESTORE_FAILED, machine, "part '" + name + "' is missing: "
                    + part.file());
        }
        return part.file();
    }

    private static Optional<SavedState.Part> find(SavedState state, String name) {
        return state.parts().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Optional<SavedState.Part> part(Path directory, String name, SavedState.Layout layout)
            throws IOException {
        Path file = directory.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(new SavedState.Part(name, file, layout, Files.size(file)))
                : Optional.empty();
    }

    private static boolean isQcow2(Path image) throws IOException {
        try (var in = Files.newInputStream(image)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'Q' && magic[1] == 'F' && magic[2] == 'I' && (magic[3] & 0xff) == 0xfb;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(from);
        }
    }

    private static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
