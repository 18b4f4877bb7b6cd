package io.dormouse.dns;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What the DNS front door needs to know about the fleet: the current entry for a VM name.
 * The VM manager implements it; lookups must be cheap and non-blocking (they run on the receive loop).
 */
@FunctionalInterface
public interface Names {

    /** The VM called {@code vmName} (lower case, one DNS label), or empty when no such VM exists. */
    Optional<VmEntry> lookup(String vmName);

    /**
     * Told once per query for the name of an existing VM (any type; not its {@code _vmstate} name), after
     * {@link #lookup}: the VM manager counts these as demand. Runs on the receive loop: it must be cheap.
     */
    default void queried(String vmName, InetAddress client) {
    }
}
