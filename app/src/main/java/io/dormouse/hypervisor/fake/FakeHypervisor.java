package io.dormouse.hypervisor.fake;

import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.HypervisorException;
import io.dormouse.hypervisor.HypervisorException.Kind;
import io.dormouse.hypervisor.LoopbackAddresses;
import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.ReadinessProbe;
import io.dormouse.hypervisor.Resize;
import io.dormouse.hypervisor.ResizeResult;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A hypervisor without QEMU for unit tests and the simulator: each machine is the demo
 * guest's HTTP counter served in process on the machine's loopback address, its state is
 * saved to and restored from real files, and every operation takes the model's latency.
 */
public final class FakeHypervisor implements Hypervisor {

    /** The version written into saved states; a state of another version is refused. */
    public static final String VERSION = "fake-1";
    private static final int PAGE = 4096;

    private final LatencyModel latencies;
    private final LoopbackAddresses addresses;
    private final Map<String, FakeMachine> machines = new ConcurrentHashMap<>();
    private final List<Consumer<MachineExit>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> warmed = ConcurrentHashMap.newKeySet();
    /** The state each prepared name was prepared for: a restore of exactly that state takes it. */
    private final Map<String, SavedState> prepared = new ConcurrentHashMap<>();
    private final List<Prepare> prepares = new CopyOnWriteArrayList<>();
    private volatile int poolSize;

    public FakeHypervisor(LatencyModel latencies, LoopbackAddresses addresses) {
        this.latencies = latencies;
        this.addresses = addresses;
    }

    /** No latency; addresses in 127.78.0.0/16. */
    public static FakeHypervisor create() {
        return new FakeHypervisor(LatencyModel.none(), new LoopbackAddresses(78));
    }

    /** A call of {@link #prepare}, as asked. */
    public record Prepare(VmSpec spec, SavedState state) {
    }

    @Override
    public Machine start(VmSpec spec) {
        return launch(spec, 0, latencies.start(), Optional.empty());
    }

    /** Checks the state as a restore would, and remembers it for the next restore of the name. */
    @Override
    public void prepare(VmSpec spec, SavedState state) {
        requireCompatible(spec, state);
        prepares.add(new Prepare(spec, state));
        prepared.put(spec.name(), state);
    }

    @Override
    public void discardPrepared(String name) {
        prepared.remove(name);
    }

    /** Every prepare asked of this hypervisor, in order. */
    public List<Prepare> prepares() {
        return List.copyOf(prepares);
    }

    /** The state prepared for {@code name} and not yet taken by a restore or discarded. */
    public Optional<SavedState> preparedFor(String name) {
        return Optional.ofNullable(prepared.get(name));
    }

    @Override
    public SavedState hibernate(Machine machine, Path directory) {
        FakeMachine fake = running(machine);
        long started = System.nanoTime();
        fake.guest().silence();
        SavedState state = save(fake, directory, latencies.hibernate());
        Duration paused = Duration.ofNanos(System.nanoTime() - started);
        end(fake, MachineExit.Reason.HIBERNATED, "hibernated");
        return new SavedState(state.parts(), state.qemuVersion(), state.machineFingerprint(), paused);
    }

    /** Remembers the size, as QEMU's pool would take it; nothing is started. */
    @Override
    public void poolSize(int size) {
        poolSize = size;
    }

    @Override
    public void warmPool(VmSpec spec) {
        warmed.add(spec.name());
    }

    /** The pool size last asked for. */
    public int pooled() {
        return poolSize;
    }

    /** The names of the specs whose shapes were asked to be kept warm. */
    public Set<String> warmed() {
        return Set.copyOf(warmed);
    }

    @Override
    public SavedState checkpoint(Machine machine, Path directory) {
        return save(running(machine), directory, Duration.ZERO);
    }

    @Override
    public Machine restore(VmSpec spec, SavedState state) {
        requireCompatible(spec, state);
        SavedState ahead = prepared.remove(spec.name());
        long count;
        try {
            SavedState.Part ram = state.parts().stream().filter(p -> p.name().equals("ram")).findFirst()
                    .orElseThrow(() -> new IOException("the state has no part 'ram'"));
            count = ByteBuffer.wrap(Files.readAllBytes(ram.file())).getLong();
        } catch (IOException | RuntimeException e) {
            throw new HypervisorException(Kind.RESTORE_FAILED, spec.name(), "cannot read the saved state: " + e, e);
        }
        return launch(spec, count, latencies.restore(), Optional.of(state.equals(ahead) ? "prepared" : "new"));
    }

    private static void requireCompatible(VmSpec spec, SavedState state) {
        if (!VERSION.equals(state.qemuVersion())) {
            throw new HypervisorException(Kind.INCOMPATIBLE_STATE, spec.name(), "the state was saved by "
                    + state.qemuVersion() + ", this hypervisor is " + VERSION);
        }
        if (!fingerprint(spec).equals(state.machineFingerprint())) {
            throw new HypervisorException(Kind.INCOMPATIBLE_STATE, spec.name(),
                    "the state was saved with other machine arguments (fingerprint " + state.machineFingerprint()
                            + ", the spec gives " + fingerprint(spec) + ")");
        }
    }

    @Override
    public void stop(Machine machine) {
        FakeMachine fake = machines.get(machine.name());
        if (fake != null && fake == machine) {
            fake.guest().silence();
            end(fake, MachineExit.Reason.STOPPED, "stopped");
        }
    }

    /** Ends the machine as if its process had been killed. */
    public void crash(Machine machine) {
        FakeMachine fake = running(machine);
        fake.guest().silence();
        end(fake, MachineExit.Reason.CRASHED, "killed");
    }

    @Override
    public ResizeResult resize(Machine machine, Resize resize) {
        running(machine);
        return new ResizeResult(
                resize.cpuPercent().isPresent() ? new ResizeResult.Applied("fake") : new ResizeResult.Unchanged(),
                resize.memoryMib().isPresent() ? new ResizeResult.Applied("fake") : new ResizeResult.Unchanged());
    }

    @Override
    public List<Machine> running() {
        return List.copyOf(machines.values());
    }

    @Override
    public void addExitListener(Consumer<MachineExit> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        prepared.clear();
        machines.values().forEach(this::stop);
    }

    private Machine launch(VmSpec spec, long count, Duration latency, Optional<String> source) {
        spec.requireFiles();
        if (machines.containsKey(spec.name())) {
            throw new HypervisorException(Kind.INVALID_SPEC, spec.name(), "name is already running");
        }
        InetAddress address = spec.address() == null ? addresses.allocate(spec.name(), spec.ports())
                : addresses.claim(spec.name(), spec.address(), spec.ports());
        FakeMachine machine = new FakeMachine(spec, address, new FakeGuest(count), source);
        try {
            sleep(latency);
            machine.guest().serve(address, spec.ports());
            machines.put(spec.name(), machine);
            ReadinessProbe.await(spec.name(), address, spec.readiness(), machine::isRunning);
            return machine;
        } catch (IOException e) {
            machine.guest().silence();
            addresses.release(address);
            throw new HypervisorException(Kind.START_FAILED, spec.name(), "cannot serve on " + address + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(machine, MachineExit.Reason.CRASHED, "interrupted while starting");
            throw new HypervisorException(Kind.START_FAILED, spec.name(), "interrupted", e);
        } catch (HypervisorException e) {
            end(machine, MachineExit.Reason.CRASHED, e.getMessage());
            throw e;
        }
    }

    private SavedState save(FakeMachine machine, Path directory, Duration latency) {
        try {
            sleep(latency);
            Files.createDirectories(directory);
            Path ram = directory.resolve("ram");
            Path devices = directory.resolve("devices");
            write(ram, ByteBuffer.allocate(PAGE).putLong(0, machine.guest().count()));
            write(devices, ByteBuffer.wrap(("fake devices of " + machine.name() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            return new SavedState(List.of(
                    new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, Files.size(ram)),
                    new SavedState.Part("devices", devices, SavedState.Layout.STREAM, Files.size(devices))),
                    VERSION, fingerprint(machine.spec()), Duration.ZERO);
        } catch (IOException e) {
            throw new HypervisorException(Kind.SAVE_FAILED, machine.name(), "cannot write " + directory + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(Kind.SAVE_FAILED, machine.name(), "interrupted", e);
        }
    }

    private static void write(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    private FakeMachine running(Machine machine) {
        FakeMachine fake = machines.get(machine.name());
        if (fake == null || fake != machine) {
            throw new HypervisorException(Kind.UNKNOWN_MACHINE, machine.name(), "is not running here");
        }
        return fake;
    }

    private void end(FakeMachine machine, MachineExit.Reason reason, String detail) {
        machines.remove(machine.name(), machine);
        addresses.release(machine.address());
        MachineExit exit = new MachineExit(machine.name(), reason, detail);
        if (machine.exit().complete(exit)) {
            listeners.forEach(l -> l.accept(exit));
        }
    }

    /** What the fake's state depends on: what the real machine arguments would encode. */
    static String fingerprint(VmSpec spec) {
        String shape = "vcpus=" + spec.vcpus() + " memory=" + spec.memoryMib() + " cpu=" + spec.cpuModel()
                + " boot=" + spec.boot().getClass().getSimpleName() + " disks=" + spec.disks().size()
                + " file-ram=" + spec.fileBackedRam();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(shape.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration latency) throws InterruptedException {
        if (latency.isPositive()) {
            Thread.sleep(latency);
        }
    }
}
