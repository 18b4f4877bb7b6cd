package io.dormouse.schedule;

import java.util.concurrent.CompletableFuture;

/**
 * What the scheduler does to VMs, with {@code Reason.SCHEDULE}: the server gives the lifecycle and the
 * wake coordinator; tests give fakes. Both calls return at once.
 */
public interface Actions {

    /** Starts hibernating a running VM. */
    void hibernate(String vm);

    /** Starts waking a hibernated VM; the future ends when it runs or the wake failed. */
    CompletableFuture<?> wake(String vm);

    /**
     * Asks the snapshot cache to materialize the VM's last version ahead of a wake that has to wait;
     * a server whose restores do not read through the cache does nothing.
     */
    default void materializeAhead(String vm) {
    }
}
