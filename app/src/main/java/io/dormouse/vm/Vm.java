package io.dormouse.vm;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A VM as the fleet holds it in memory: its state, where it answers, and what waking it takes.
 * Immutable; every change is a new value with the next {@code version} of its database row.
 *
 * @param definition   what it was declared as; null when its stored spec could not be read
 * @param policy       the definition's policy, or the row's priority and SLA class when there is no definition
 * @param address      where it answers while running, null otherwise
 * @param frontAddress its stable front address, null when it has none
 * @param host         the host it holds room on, null when it holds none
 * @param healthy      false while it misses heartbeats
 * @param saved        its last committed snapshot version, null before its first hibernation
 * @param wakeEstimate how long its restore is expected to take, from its own restore history
 * @param version      the version of its database row this value reflects
 */
public record Vm(long id, String name, VmState state, VmDefinition definition, Policy policy, Inet4Address address,
                 Inet4Address frontAddress, String host, boolean healthy, Saved saved, Duration wakeEstimate,
                 Instant createdAt, Instant updatedAt, long version) {

    /** A committed snapshot version: where the VM's state lives while it sleeps. */
    public record Saved(long version, String location, Instant at, long totalBytes) {
    }

    public Vm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state of VM " + name);
        Objects.requireNonNull(wakeEstimate, "wakeEstimate of VM " + name);
        Objects.requireNonNull(policy, "policy of VM " + name);
    }

    /** The VM in another state; a new state starts healthy (heartbeats judge it afresh). */
    Vm withState(VmState next, Inet4Address nextAddress, String nextHost, Instant at, long nextVersion) {
        return new Vm(id, name, next, definition, policy, nextAddress, frontAddress, nextHost, true, saved, wakeEstimate,
                createdAt, at, nextVersion);
    }

    Vm withFrontAddress(Inet4Address next) {
        return new Vm(id, name, state, definition, policy, address, next, host, healthy, saved, wakeEstimate, createdAt,
                updatedAt, version);
    }

    Vm withSaved(Saved next) {
        return new Vm(id, name, state, definition, policy, address, frontAddress, host, healthy, next, wakeEstimate, createdAt,
                updatedAt, version);
    }

    Vm withWakeEstimate(Duration next) {
        return new Vm(id, name, state, definition, policy, address, frontAddress, host, healthy, saved, next, createdAt,
                updatedAt, version);
    }

    Vm withHealthy(boolean next) {
        return new Vm(id, name, state, definition, policy, address, frontAddress, host, next, saved, wakeEstimate, createdAt,
                updatedAt, version);
    }
}
