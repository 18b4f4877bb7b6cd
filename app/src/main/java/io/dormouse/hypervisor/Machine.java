package io.dormouse.hypervisor;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A running VM: the handle a {@link Hypervisor} returns from start and restore. */
public interface Machine {

    String name();

    /** The spec it runs; its ports are reachable at {@link #address()}, host port = guest port. */
    VmSpec spec();

    /** The loopback address its declared ports are forwarded from. */
    InetAddress address();

    /** Completes when the machine's process has ended, for whatever reason. */
    CompletableFuture<MachineExit> exit();

    default boolean isRunning() {
        return !exit().isDone();
    }

    /** The id of the host process running the guest; empty when it runs in no process of its own. */
    default OptionalLong processId() {
        return OptionalLong.empty();
    }

    /**
     * The guest's memory as its balloon device reports it, in bytes; empty when it has no balloon device
     * or does not answer at once. Telemetry asks this once per sampling round.
     */
    default OptionalLong balloonBytes() {
        return OptionalLong.empty();
    }

    /**
     * Where the process of a restored machine came from ({@code prepared}, {@code pool} or {@code new});
     * empty for a booted machine, or when the hypervisor does not say.
     */
    default Optional<String> wakeSource() {
        return Optional.empty();
    }
}
