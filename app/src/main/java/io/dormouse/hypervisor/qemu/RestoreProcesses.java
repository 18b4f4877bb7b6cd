package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts QEMU processes, and finds the process a restore runs in: one prepared for exactly
 * its state, one waiting in the pool, or a new one, with the saved RAM copied into place.
 */
final class RestoreProcesses implements AutoCloseable {

    /**
     * A process for a restore, where it came from, the RAM copy made for it (null if none), and
     * whether its device state is already loaded (a prepared process: only {@code cont} is left).
     */
    record Acquired(QemuProcess process, String source, Path ramCopy, boolean loaded) {
    }

    /** Loads a saved device state into a process started with {@code -incoming defer}. */
    interface Loader {
        void load(QemuProcess process) throws IOException, InterruptedException;
    }

    /** A process started by {@link #prepare} for one state. */
    private record Prepared(SavedState state, String fingerprint, QemuProcess process) {
    }

    private final String binary;
    private final StateFiles files;
    private final Duration qmpTimeout;
    private final ProcessPool pool;
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();
    /** Processes started by a {@link #prepare} still loading their state: a discard ends them too. */
    private final Map<String, QemuProcess> preparing = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    RestoreProcesses(String binary, StateFiles files, QemuSettings settings) {
        this.binary = binary;
        this.files = files;
        this.qmpTimeout = settings.qmpTimeout();
        this.pool = new ProcessPool(settings.poolSize(),
                command -> launch(command, files.poolDirectory(sequence.incrementAndGet()), true),
                spare -> files.deleteQuietly(spare.directory()));
    }

    /** Starts {@code command} with a new RAM file in {@code directory}, waiting for QMP. */
    QemuProcess launch(QemuCommand command, Path directory, boolean incoming) throws IOException, InterruptedException {
        return launch(command, directory, incoming, newRamFile(directory));
    }

    /** The process for restoring {@code state} as {@code spec}, RAM and disks in place. */
    Acquired acquire(VmSpec spec, QemuCommand command, SavedState state) throws IOException, InterruptedException {
        Prepared ahead = prepared.remove(spec.name());
        if (ahead != null && ahead.state().equals(state) && ahead.fingerprint().equals(command.fingerprint())
                && ahead.process().isAlive()) {
            return new Acquired(ahead.process(), "prepared", null, true);
        }
        discard(ahead);
        files.restoreDisks(spec, state);
        QemuProcess spare = pool.take(command);
        if (spare != null) {
            files.copyRamInto(state, spare.paths().ram());
            return new Acquired(spare, "pool", null, false);
        }
        Path directory = files.machineDirectory(spec.name());
        Path ram = newRamFile(directory);
        try {
            files.copyRamTo(state, ram);
            return new Acquired(launch(command, directory, true, ram), "new", ram, false);
        } catch (IOException | InterruptedException | RuntimeException e) {
            files.deleteQuietly(ram);
            throw e;
        }
    }

    /**
     * Starts the process a later {@link #acquire} of this very state will take, and loads the
     * device state into it with {@code loader} (the guest stays paused); replaces an earlier one.
     */
    void prepare(VmSpec spec, QemuCommand command, SavedState state, Loader loader)
            throws IOException, InterruptedException {
        files.restoreDisks(spec, state);
        Path directory = files.machineDirectory(spec.name());
        Path ram = newRamFile(directory);
        QemuProcess process = null;
        try {
            files.copyRamTo(state, ram);
            process = launch(command, directory, true, ram);
            kill(preparing.put(spec.name(), process));
            loader.load(process);
            // discarded while it loaded (the VM woke or was terminated meanwhile): nothing would end it later
            if (!preparing.remove(spec.name(), process)) {
                throw new IOException("the preparation was discarded while it loaded the state");
            }
            discard(prepared.put(spec.name(), new Prepared(state, command.fingerprint(), process)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (process != null) {
                preparing.remove(spec.name(), process);
                process.kill();
            }
            files.deleteQuietly(ram);
            throw e;
        }
    }

    /** Ends the process prepared for {@code name}, or being prepared, if there is one. */
    void discard(String name) {
        discard(prepared.remove(name));
        try {
            kill(preparing.remove(name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tops the pool up for {@code command}'s shape, in the background. */
    void refill(QemuCommand command) {
        pool.fill(command);
    }

    /** Keeps {@code size} pre-started processes per shape from now on. */
    void resizePool(int size) {
        pool.resize(size);
    }

    boolean awaitPool(QemuCommand command, Duration timeout) throws InterruptedException {
        return pool.awaitFilled(command, timeout);
    }

    @Override
    public void close() {
        pool.close();
        prepared.keySet().forEach(this::discard);
        preparing.keySet().forEach(this::discard);
    }

    private QemuProcess launch(QemuCommand command, Path directory, boolean incoming, Path ram)
            throws IOException, InterruptedException {
        QemuCommand.Paths paths = new QemuCommand.Paths(ram, directory.resolve("console.log"),
                files.qmpSocket(sequence.incrementAndGet()));
        return QemuProcess.launch(command.arguments(binary, paths, incoming), directory, paths, qmpTimeout);
    }

    private Path newRamFile(Path directory) {
        return directory.resolve("ram-" + sequence.incrementAndGet());
    }

    private static void kill(QemuProcess process) throws InterruptedException {
        if (process != null) {
            process.kill();
        }
    }

    private void discard(Prepared ahead) {
        if (ahead == null) {
            return;
        }
        try {
            ahead.process().kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        files.deleteRam(ahead.process());
    }
}
