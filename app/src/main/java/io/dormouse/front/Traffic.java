package io.dormouse.front;

import java.time.Instant;
import java.util.Map;

/**
 * What the front door saw of each VM's demand, for the telemetry sampler and the scheduler. Counters
 * are monotonic from server start (a sampler takes differences); connections from excluded sources or
 * to excluded ports are not counted at all.
 * <ul>
 *   <li>{@link #counts()}: every VM the front door has metered, by name;</li>
 *   <li>{@link #keepAwake(String)}: whether the scheduler must leave a VM running now.</li>
 * </ul>
 */
public interface Traffic {

    /**
     * One VM's demand so far.
     *
     * @param opened       connections accepted (held or spliced)
     * @param active       connections open now, held ones included; a long-lived connection counts while open
     * @param bytesIn      bytes from clients to the VM
     * @param bytesOut     bytes from the VM to clients
     * @param lastDemandAt the last connection opened, byte moved or connection closed; null if none yet
     * @param lastWakeAt   when the front door last saw the VM come up (any wake, not only its own); null if never
     */
    record Counts(long opened, int active, long bytesIn, long bytesOut, Instant lastDemandAt, Instant lastWakeAt) {
    }

    Map<String, Counts> counts();

    /**
     * True while {@code vm} has a connection open, or came up less than the configured minimum awake
     * time ({@code front.min-awake}) ago: hibernating it now would cut a client off or undo a wake.
     */
    boolean keepAwake(String vm);
}
