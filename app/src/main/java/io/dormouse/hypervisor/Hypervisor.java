package io.dormouse.hypervisor;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs virtual machines: starts them, hibernates them into files and restores them from
 * those files, checkpoints them while they run, stops and resizes them. Every operation
 * either succeeds or throws a {@link HypervisorException} whose kind says what failed.
 */
public interface Hypervisor extends AutoCloseable {

    /**
     * Boots a VM from {@code spec} and returns once it is ready (see {@link VmSpec#readiness()}).
     *
     * @throws HypervisorException {@code INVALID_SPEC} (nothing started), {@code START_FAILED},
     *                             {@code CRASHED} or {@code TIMEOUT} (the process is gone)
     */
    Machine start(VmSpec spec);

    /**
     * Saves the machine's whole state into files under the empty or absent directory
     * {@code directory} and ends its process. The files are synced to disk on return.
     *
     * @throws HypervisorException {@code SAVE_FAILED}, {@code CRASHED} or {@code TIMEOUT};
     *                             the machine may then be gone, earlier saved states are untouched
     */
    SavedState hibernate(Machine machine, Path directory);

    /**
     * Saves a consistent state of the running machine into {@code directory} while it keeps
     * running: the state restores to the machine as it was at the checkpoint.
     */
    SavedState checkpoint(Machine machine, Path directory);

    /**
     * Starts {@code spec} from {@code state} and returns once it is ready. The state's files
     * are only read: the same state can be restored again.
     *
     * @throws HypervisorException {@code INCOMPATIBLE_STATE} when the state was written by
     *                             another hypervisor version or for other machine arguments;
     *                             {@code RESTORE_FAILED}, {@code CRASHED} or {@code TIMEOUT}
     */
    Machine restore(VmSpec spec, SavedState state);

    /**
     * A hint that {@code state} will soon be restored as {@code spec} (a forecast wake): an
     * implementation may do ahead what it can, such as starting the process. May do nothing.
     */
    default void prepare(VmSpec spec, SavedState state) {
    }

    /** Ends what {@link #prepare} started for the machine {@code name}, if anything is left. May do nothing. */
    default void discardPrepared(String name) {
    }

    /**
     * How many pre-started processes to keep waiting per machine shape from now on, where the
     * implementation pools processes: more start in the background, extra ones end. May do nothing.
     */
    default void poolSize(int size) {
    }

    /**
     * A hint that machines of {@code spec}'s shape will be restored soon (a VM whose service class
     * promises a fast wake): the pool keeps processes for that shape too. May do nothing.
     */
    default void warmPool(VmSpec spec) {
    }

    /** Shuts the machine down: politely first, then by force. Does nothing if it is gone. */
    void stop(Machine machine);

    /** Changes the machine's CPU cap or memory where the host allows; the result says what happened. */
    ResizeResult resize(Machine machine, Resize resize);

    /** The machines started or restored by this hypervisor whose processes still run. */
    List<Machine> running();

    /** Calls {@code listener} (on a thread of the hypervisor) whenever a machine's process ends. */
    void addExitListener(Consumer<MachineExit> listener);

    /** Stops every machine this hypervisor runs and releases its resources. */
    @Override
    void close();
}
