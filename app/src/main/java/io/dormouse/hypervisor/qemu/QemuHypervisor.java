package io.dormouse.hypervisor.qemu;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs VMs as QEMU processes (see docs/hypervisor.md): boots them, hibernates them with their
 * RAM in a file and device state in a migration stream, restores them into a new process
 * (or a pre-started one) and watches every process for its end.
 */
public final class QemuHypervisor implements Hypervisor {

    private static final Logger LOG = LoggerFactory.getLogger(QemuHypervisor.class);

    private final QemuSettings settings;
    private final QemuInstallation qemu;
    private final String accel;
    private final LoopbackAddresses addresses;
    private final StateFiles files;
    private final ProcessPool pool;
    private final CpuCap cpuCap = new CpuCap(Path.of("/sys/fs/cgroup"));
    private final Map<String, QemuMachine> machines = new ConcurrentHashMap<>();
    private final List<Consumer<MachineExit>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    private QemuHypervisor(QemuSettings settings, QemuInstallation qemu, String accel) throws IOException {
        this.settings = settings;
        this.qemu = qemu;
        this.accel = accel;
        this.addresses = new LoopbackAddresses(settings.addressOctet());
        this.files = new StateFiles(settings.dataDir());
        this.pool = new ProcessPool(settings.poolSize(), this::launchSpare);
    }

    /**
     * A driver for {@code settings}: finds the QEMU version and, for {@code AUTO}, probes
     * whether KVM really runs a guest (a few seconds at most).
     */
    public static QemuHypervisor create(QemuSettings settings) throws IOException, InterruptedException {
        QemuInstallation qemu = QemuInstallation.find(settings.binary());
        String accel = switch (settings.acceleration()) {
            case TCG -> "tcg";
            case KVM -> "kvm";
            case AUTO -> AccelerationProbe.runs(qemu.binary(), "kvm", Duration.ofSeconds(3)) ? "kvm" : "tcg";
        };
        LOG.info("QEMU {} at {}, accelerator {} ({})", qemu.version(), qemu.binary(), accel, settings.acceleration());
        return new QemuHypervisor(settings, qemu, accel);
    }

    /** {@code kvm} or {@code tcg}: what this driver runs guests with. */
    public String accelerator() {
        return accel;
    }

    /** The QEMU version written into saved states and required of them at restore. */
    public String qemuVersion() {
        return qemu.version();
    }

    @Override
    public Machine start(VmSpec spec) {
        spec.requireFiles();
        requireNotRunning(spec);
        QemuCommand command = command(spec);
        InetAddress address = address(spec);
        QemuProcess process = null;
        try {
            files.createOverlays(spec);
            process = launch(command, files.machineDirectory(spec.name()), false);
            QemuMachine machine = register(spec, address, process, command);
            forward(machine.process(), spec, address);
            ReadinessProbe.await(spec.name(), address, spec.readiness(), process::isAlive);
            return machine;
        } catch (IOException | QmpException e) {
            throw failed(Kind.START_FAILED, spec, address, process, "cannot start QEMU: " + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw failed(e.kind(), spec, address, process, e.getMessage().replaceFirst("^vm '[^']*': ", ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(Kind.START_FAILED, spec, address, process, "interrupted while starting", e);
        }
    }

    @Override
    public SavedState hibernate(Machine machine, Path directory) {
        QemuMachine m = running(machine);
        boolean fileRam = m.command().fileBackedRam();
        try {
            Files.createDirectories(directory);
            Duration paused = saveDevices(m, directory.resolve(fileRam ? "devices" : "state"), fileRam);
            m.expectEnd(MachineExit.Reason.HIBERNATED);
            quit(m);
            files.capture(m, directory, false);
            SavedState state = files.seal(m, directory, qemu.version(), paused);
            LOG.info("{} hibernated into {}: paused {} ms, {} bytes", m, directory, paused.toMillis(),
                    state.totalBytes());
            return state;
        } catch (IOException | QmpException | Migration.MigrationFailed e) {
            throw saveFailed(m, directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw saveFailed(m, directory, e);
        }
    }

    @Override
    public SavedState checkpoint(Machine machine, Path directory) {
        QemuMachine m = running(machine);
        try {
            Files.createDirectories(directory);
            return m.command().fileBackedRam()
                    ? Checkpoints.pauseAndCopy(m, directory, files, settings, qemu.version())
                    : Checkpoints.background(m, directory, files, settings, qemu.version());
        } catch (IOException | QmpException | Migration.MigrationFailed e) {
            throw saveFailed(m, directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw saveFailed(m, directory, e);
        }
    }

    @Override
    public Machine restore(VmSpec spec, SavedState state) {
        QemuCommand command = command(spec);
        StateFiles.requireCompatible(spec.name(), state, qemu.version(), command.fingerprint());
        spec.requireFiles();
        requireNotRunning(spec);
        StateFiles.Stream stream = StateFiles.stream(spec.name(), state, command.fileBackedRam());
        InetAddress address = address(spec);
        QemuProcess process = null;
        Path ram = null;
        boolean restored = false;
        try {
            files.restoreDisks(spec, state);
            long t0 = System.nanoTime();
            process = pool.take(command);
            boolean pooled = process != null;
            if (pooled) {
                files.copyRamInto(state, process.paths().ram());
            } else {
                Path directory = files.machineDirectory(spec.name());
                ram = directory.resolve("ram-" + sequence.incrementAndGet());
                files.copyRamTo(state, ram);
                process = launch(command, directory, true, ram);
            }
            long started = System.nanoTime();
            QmpClient qmp = process.qmp();
            Migration.capabilities(qmp, capabilities(command.fileBackedRam()), settings.qmpTimeout());
            forward(process, spec, address);
            qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + QemuCommand.shellWord(stream.file())),
                    settings.qmpTimeout());
            Migration.await(process, settings.saveTimeout());
            long loaded = System.nanoTime();
            qmp.execute("cont", settings.qmpTimeout());
            long running = System.nanoTime();
            QemuMachine machine = register(spec, address, process, command);
            ReadinessProbe.await(spec.name(), address, spec.readiness(), process::isAlive);
            long ready = System.nanoTime();
            machine.wakeSteps(new QemuMachine.WakeSteps(Duration.ofNanos(started - t0),
                    Duration.ofNanos(loaded - started), Duration.ofNanos(running - loaded),
                    Duration.ofNanos(ready - running), pooled));
            pool.fill(command);
            restored = true;
            LOG.info("{} restored in {} ms ({})", machine, (ready - t0) / 1_000_000, machine.wakeSteps());
            return machine;
        } catch (IOException | QmpException | Migration.MigrationFailed e) {
            throw failed(Kind.RESTORE_FAILED, spec, address, process, "restore failed: " + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw failed(e.kind(), spec, address, process, e.getMessage().replaceFirst("^vm '[^']*': ", ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(Kind.RESTORE_FAILED, spec, address, process, "interrupted while restoring", e);
        } finally {
            if (!restored && ram != null) {
                files.deleteQuietly(ram);
            }
        }
    }

    @Override
    public void stop(Machine machine) {
        QemuMachine m = machines.get(machine.name());
        if (m == null || m != machine) {
            return;
        }
        m.expectEnd(MachineExit.Reason.STOPPED);
        try {
            try {
                m.process().qmp().execute("system_powerdown", settings.qmpTimeout());
            } catch (QmpException e) {
                LOG.debug("{}: system_powerdown failed: {}", m, e.getMessage());
            }
            if (!m.process().awaitExit(settings.stopTimeout())) {
                LOG.info("{} did not power down within {}: quitting QEMU", m, settings.stopTimeout());
                quit(m);
            }
            m.exit().get(settings.qmpTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: stop did not complete cleanly: {}", m, e.toString());
        }
    }

    @Override
    public ResizeResult resize(Machine machine, Resize resize) {
        QemuMachine m = running(machine);
        ResizeResult.Outcome cpu = resize.cpuPercent().isPresent()
                ? cpuCap.apply(m.name(), m.pid(), resize.cpuPercent().getAsInt()) : new ResizeResult.Unchanged();
        ResizeResult.Outcome memory = new ResizeResult.Unchanged();
        if (resize.memoryMib().isPresent()) {
            memory = Balloon.resize(m.process().qmp(), resize.memoryMib().getAsInt(), settings.qmpTimeout());
        }
        return new ResizeResult(cpu, memory);
    }

    @Override
    public List<Machine> running() {
        return List.copyOf(machines.values());
    }

    @Override
    public void addExitListener(Consumer<MachineExit> listener) {
        listeners.add(listener);
    }

    /** Waits until the pool holds its pre-started processes for {@code spec}'s shape; false on timeout. */
    public boolean awaitPool(VmSpec spec, Duration timeout) throws InterruptedException {
        return pool.awaitFilled(command(spec), timeout);
    }

    @Override
    public void close() {
        pool.close();
        machines.values().forEach(this::stop);
    }

    private QemuCommand command(VmSpec spec) {
        return new QemuCommand(spec, accel, settings.fileBackedRam() && spec.fileBackedRam());
    }

    private QemuProcess launch(QemuCommand command, Path directory, boolean incoming)
            throws IOException, InterruptedException {
        return launch(command, directory, incoming, directory.resolve("ram-" + sequence.incrementAndGet()));
    }

    private QemuProcess launch(QemuCommand command, Path directory, boolean incoming, Path ram)
            throws IOException, InterruptedException {
        QemuCommand.Paths paths = new QemuCommand.Paths(ram, directory.resolve("console.log"),
                files.qmpSocket(sequence.incrementAndGet()));
        return QemuProcess.launch(command.arguments(qemu.binary(), paths, incoming), directory, paths,
                settings.qmpTimeout());
    }

    private QemuProcess launchSpare(QemuCommand command) throws IOException, InterruptedException {
        return launch(command, files.poolDirectory(sequence.incrementAndGet()), true);
    }

    private Map<String, Boolean> capabilities(boolean fileRam) {
        return Map.of("x-ignore-shared", fileRam, "events", true);
    }

    /** Stops the guest and writes its device state (or whole state) to {@code stream}; returns the pause. */
    private Duration saveDevices(QemuMachine m, Path stream, boolean fileRam) throws InterruptedException {
        QmpClient qmp = m.process().qmp();
        Migration.capabilities(qmp, capabilities(fileRam), settings.qmpTimeout());
        long t0 = System.nanoTime();
        qmp.execute("stop", settings.qmpTimeout());
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + QemuCommand.shellWord(stream)), settings.qmpTimeout());
        Migration.await(m.process(), settings.saveTimeout());
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Forwards each declared port from {@code address} (host port = guest port) with HMP hostfwd_add. */
    private void forward(QemuProcess process, VmSpec spec, InetAddress address) throws InterruptedException {
        for (int port : spec.ports()) {
            String rule = "tcp:" + address.getHostAddress() + ":" + port + "-:" + port;
            String said = process.qmp().execute("human-monitor-command",
                    Map.of("command-line", "hostfwd_add n0 " + rule), settings.qmpTimeout()).asText();
            if (!said.isBlank()) {
                throw new HypervisorException(Kind.START_FAILED, spec.name(),
                        "cannot forward " + rule + ": " + said.strip());
            }
        }
    }

    private void quit(QemuMachine m) throws InterruptedException {
        try {
            m.process().qmp().execute("quit", settings.qmpTimeout());
        } catch (QmpException e) {
            LOG.debug("{}: quit: {}", m, e.getMessage());
        }
        if (!m.process().awaitExit(settings.stopTimeout())) {
            LOG.warn("{} did not quit within {}: killing it", m, settings.stopTimeout());
            m.process().kill();
        }
        try {
            m.exit().get(settings.qmpTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("{}: exit not reported in time: {}", m, e.toString());
        }
    }

    private QemuMachine register(VmSpec spec, InetAddress address, QemuProcess process, QemuCommand command) {
        QemuMachine machine = new QemuMachine(spec, address, process, command);
        machines.put(spec.name(), machine);
        process.onExit().thenRun(() -> ended(machine));
        return machine;
    }

    private void ended(QemuMachine machine) {
        MachineExit.Reason reason = machine.ending() == null ? MachineExit.Reason.CRASHED : machine.ending();
        machine.process().qmp().close();
        machines.remove(machine.name(), machine);
        addresses.release(machine.address());
        cpuCap.release(machine.name());
        if (reason != MachineExit.Reason.HIBERNATED) {
            files.deleteRam(machine.process());
        }
        String detail = reason == MachineExit.Reason.CRASHED ? machine.process().exitDetail()
                : reason.name().toLowerCase();
        MachineExit exit = new MachineExit(machine.name(), reason, detail);
        if (reason == MachineExit.Reason.CRASHED) {
            LOG.warn("{} crashed: {}", machine, detail);
        }
        machine.exit().complete(exit);
        listeners.forEach(l -> {
            try {
                l.accept(exit);
            } catch (RuntimeException e) {
                LOG.warn("an exit listener failed for {}", machine, e);
            }
        });
    }

    private HypervisorException failed(Kind kind, VmSpec spec, InetAddress address, QemuProcess process,
                                       String message, Exception cause) {
        QemuMachine registered = machines.get(spec.name());
        String detail = "";
        if (process != null) {
            if (registered != null && registered.process() == process) {
                registered.expectEnd(MachineExit.Reason.CRASHED);
            }
            boolean died = !process.isAlive();
            try {
                process.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (registered == null || registered.process() != process) {
                files.deleteRam(process);
                addresses.release(address);
            }
            detail = died ? " (" + process.exitDetail() + ")" : "";
        } else {
            addresses.release(address);
        }
        return new HypervisorException(kind, spec.name(), message + detail, cause);
    }

    private HypervisorException saveFailed(QemuMachine m, Path directory, Exception cause) {
        files.deleteQuietly(directory);
        boolean alive = m.process().isAlive();
        if (alive && m.ending() == null) {
            try {
                m.process().qmp().execute("cont", settings.qmpTimeout());
            } catch (QmpException | InterruptedException e) {
                LOG.warn("{}: could not resume after a failed save: {}", m, e.getMessage());
            }
        }
        return new HypervisorException(Kind.SAVE_FAILED, m.name(), "save failed"
                + (alive ? ", the guest runs on" : ", the process is gone") + ": "
                + cause.getMessage(), cause);
    }

    private InetAddress address(VmSpec spec) {
        return spec.address() == null ? addresses.allocate(spec.name(), spec.ports())
                : addresses.claim(spec.name(), spec.address(), spec.ports());
    }

    private void requireNotRunning(VmSpec spec) {
        if (machines.containsKey(spec.name())) {
            throw new HypervisorException(Kind.INVALID_SPEC, spec.name(), "name is already running");
        }
    }

    private QemuMachine running(Machine machine) {
        QemuMachine m = machines.get(machine.name());
        if (m == null || m != machine) {
            throw new HypervisorException(Kind.UNKNOWN_MACHINE, machine.name(), "is not running here");
        }
        return m;
    }
}
