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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private final RestoreProcesses processes;
    private final CpuCap cpuCap = new CpuCap(Path.of("/sys/fs/cgroup"));
    private final Map<String, QemuMachine> machines = new ConcurrentHashMap<>();
    private final List<Consumer<MachineExit>> listeners = new CopyOnWriteArrayList<>();

    private QemuHypervisor(QemuSettings settings, QemuInstallation qemu, String accel) throws IOException {
        this.settings = settings;
        this.qemu = qemu;
        this.accel = accel;
        this.addresses = new LoopbackAddresses(settings.addressOctet());
        this.files = new StateFiles(settings.dataDir());
        this.processes = new RestoreProcesses(qemu.binary(), files, settings);
    }

    /**
     * A driver for {@code settings}: finds the QEMU version and, for {@code AUTO}, probes
     * whether KVM really runs a guest (boots the probe kernel; 10 s at most).
     */
    public static QemuHypervisor create(QemuSettings settings) throws IOException, InterruptedException {
        QemuInstallation qemu = QemuInstallation.find(settings.binary());
        String accel = switch (settings.acceleration()) {
            case TCG -> "tcg";
            case KVM -> "kvm";
            case AUTO -> AccelerationProbe.kvmRuns(qemu.binary(), settings.probeKernel()) ? "kvm" : "tcg";
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
            process = processes.launch(command, files.machineDirectory(spec.name()), false);
            QemuMachine machine = register(spec, address, process, command);
            machine.process().forward(spec, address, settings.qmpTimeout());
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
        return saving(m, directory, () -> {
            Duration paused = saveDevices(m, directory.resolve(fileRam ? "devices" : "state"), fileRam);
            m.expectEnd(MachineExit.Reason.HIBERNATED);
            quit(m);
            files.capture(m, directory, false);
            SavedState state = files.seal(m, directory, qemu.version(), paused);
            LOG.info("{} hibernated into {}: paused {} ms, {} bytes", m, directory, paused.toMillis(),
                    state.totalBytes());
            return state;
        });
    }

    @Override
    public SavedState checkpoint(Machine machine, Path directory) {
        QemuMachine m = running(machine);
        return saving(m, directory, () -> m.command().fileBackedRam()
                ? Checkpoints.pauseAndCopy(m, directory, files, settings, qemu.version())
                : Checkpoints.background(m, directory, files, settings, qemu.version()));
    }

    /** The steps of a save, which may fail on I/O, QMP or the migration. */
    private interface SaveSteps {
        SavedState run() throws IOException, InterruptedException;
    }

    /** Runs {@code steps} into {@code directory}; any failure becomes {@code SAVE_FAILED} (see saveFailed). */
    private SavedState saving(QemuMachine m, Path directory, SaveSteps steps) {
        try {
            Files.createDirectories(directory);
            return steps.run();
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
        try {
            long t0 = System.nanoTime();
            RestoreProcesses.Acquired acquired = processes.acquire(spec, command, state);
            process = acquired.process();
            long started = System.nanoTime();
            QmpClient qmp = process.qmp();
            process.forward(spec, address, settings.qmpTimeout());
            if (!acquired.loaded()) {
                loadDevices(process, stream, command.fileBackedRam());
            }
            long loaded = System.nanoTime();
            qmp.execute("cont", settings.qmpTimeout());
            long running = System.nanoTime();
            QemuMachine machine = register(spec, address, process, command);
            ReadinessProbe.await(spec.name(), address, spec.readiness(), process::isAlive);
            long ready = System.nanoTime();
            machine.wakeSteps(new QemuMachine.WakeSteps(Duration.ofNanos(started - t0),
                    Duration.ofNanos(loaded - started), Duration.ofNanos(running - loaded),
                    Duration.ofNanos(ready - running), acquired.source()));
            processes.refill(command);
            LOG.info("{} restored in {} ms ({})", machine, (ready - t0) / 1_000_000, machine.wakeSteps());
            return machine;
        } catch (IOException | QmpException | Migration.MigrationFailed e) {
            throw failed(Kind.RESTORE_FAILED, spec, address, process, "restore failed: " + e.getMessage(), e);
        } catch (HypervisorException e) {
            throw failed(e.kind(), spec, address, process, e.getMessage().replaceFirst("^vm '[^']*': ", ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(Kind.RESTORE_FAILED, spec, address, process, "interrupted while restoring", e);
        }
    }

    /**
     * Starts, ahead of an expected wake, the process that {@link #restore} of this
     * {@code state} as {@code spec} will then use, with the RAM copied and disks in place:
     * only loading the device state and {@code cont} are left on the wake path. A restore of
     * another state discards it; so does the next prepare of the same name.
     */
    @Override
    public void prepare(VmSpec spec, SavedState state) {
        QemuCommand command = command(spec);
        StateFiles.requireCompatible(spec.name(), state, qemu.version(), command.fingerprint());
        spec.requireFiles();
        StateFiles.Stream stream = StateFiles.stream(spec.name(), state, command.fileBackedRam());
        try {
            processes.prepare(spec, command, state, process -> loadDevices(process, stream, command.fileBackedRam()));
        } catch (IOException | QmpException | Migration.MigrationFailed e) {
            throw new HypervisorException(Kind.RESTORE_FAILED, spec.name(), "cannot prepare a restore: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(Kind.RESTORE_FAILED, spec.name(), "interrupted while preparing", e);
        }
    }

    @Override
    public void discardPrepared(String name) {
        processes.discard(name);
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
        LOG.info("{} resized: cpu {}, memory {}", m, cpu, memory);
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

    @Override
    public void poolSize(int size) {
        processes.resizePool(size);
    }

    @Override
    public void warmPool(VmSpec spec) {
        processes.refill(command(spec));
    }

    /** Waits until the pool holds its pre-started processes for {@code spec}'s shape; false on timeout. */
    public boolean awaitPool(VmSpec spec, Duration timeout) throws InterruptedException {
        return processes.awaitPool(command(spec), timeout);
    }

    @Override
    public void close() {
        processes.close();
        machines.values().forEach(this::stop);
    }

    private QemuCommand command(VmSpec spec) {
        return new QemuCommand(spec, accel, settings.fileBackedRam() && spec.fileBackedRam());
    }

    private Map<String, Boolean> capabilities(boolean fileRam) {
        return Map.of("x-ignore-shared", fileRam, "events", true);
    }

    /**
     * Loads the saved device state (or whole state) into a process started with
     * {@code -incoming defer}; the guest stays paused until {@code cont}, as it was saved paused.
     */
    private void loadDevices(QemuProcess process, StateFiles.Stream stream, boolean fileRam)
            throws InterruptedException {
        QmpClient qmp = process.qmp();
        Migration.capabilities(qmp, capabilities(fileRam), settings.qmpTimeout());
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + QemuCommand.shellWord(stream.file())),
                settings.qmpTimeout());
        Migration.await(process, settings.saveTimeout());
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
        QemuMachine found = machines.get(spec.name());
        QemuMachine registered = found != null && found.process() == process ? found : null;
        String detail = "";
        if (process != null) {
            if (registered != null) {
                registered.expectEnd(MachineExit.Reason.CRASHED);
            }
            boolean died = !process.isAlive();
            try {
                process.kill();
                if (registered != null) {
                    // the exit handler releases what the machine held: let it finish before the caller looks
                    registered.exit().get(settings.qmpTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("{}: its end was not reported within {}", registered, settings.qmpTimeout());
            }
            if (registered == null) {
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
