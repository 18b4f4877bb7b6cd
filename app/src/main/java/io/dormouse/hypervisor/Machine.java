package io.dormouse.hypervisor;

import java.net.InetAddress;
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
}
