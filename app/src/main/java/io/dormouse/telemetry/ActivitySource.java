package io.dormouse.telemetry;

/**
 * Where the {@link Sampler} reads front-door traffic: the TCP front door implements it. Called once per VM
 * per round from the sampler's thread; it must not block.
 */
@FunctionalInterface
public interface ActivitySource {

    /** The VM's totals so far; {@link Activity#NONE} for a VM the front door has not seen. */
    Activity activity(long vmId);

    /** No front door: every VM has no traffic. */
    static ActivitySource none() {
        return vmId -> Activity.NONE;
    }
}
