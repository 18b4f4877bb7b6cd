package io.dormouse.telemetry;

import java.util.Optional;

/**
 * Where the {@link Sampler} reads front-door traffic: the TCP front door implements it. Called once per VM
 * per round from the sampler's thread; it must not block.
 */
@FunctionalInterface
public interface ActivitySource {

    /**
     * The VM's totals so far: {@link Activity#NONE} for a VM the front door serves but has not seen traffic
     * for, empty for a VM it does not meter (then no connection or byte samples are stored for it).
     */
    Optional<Activity> activity(long vmId);

    /** No front door: no VM's traffic is metered, and demand is its DNS queries alone. */
    static ActivitySource none() {
        return vmId -> Optional.empty();
    }
}
