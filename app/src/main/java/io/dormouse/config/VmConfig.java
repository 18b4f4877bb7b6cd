package io.dormouse.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The VM manager: which hypervisor runs the VMs, how wakes are bounded, how long starts and waits for
 * room may take, preemption, heartbeats and reconciliation, the pre-started process pool, and what a
 * clean server stop does with running VMs.
 *
 * @param poolMin        pre-started processes per machine shape however rarely VMs wake
 * @param poolMax        pre-started processes per machine shape at most
 * @param wakeRateWindow the recent past whose wakes size the pool
 * @param onStop         hibernate, stop or leave the running VMs when the server stops cleanly
 */
public record VmConfig(String hypervisor, String accel, int wakeWaiters, Duration readyTimeout, Duration roomWait,
                       boolean preemption, Duration preemptIdleAfter, Duration heartbeatInterval,
                       int heartbeatMisses, Duration reconcileInterval, Duration defaultWakeEstimate,
                       Duration fleetSync, double cpuOvercommit, int poolMin, int poolMax, Duration wakeRateWindow,
                       String onStop) {

    static final VmConfig DEFAULTS = new VmConfig("qemu", "auto", 1000, Duration.ofSeconds(60), Duration.ofMinutes(5), false,
            Duration.ofMinutes(10), Duration.ofSeconds(10), 3, Duration.ofSeconds(30), Duration.ofSeconds(2),
            Duration.ofSeconds(1), 4.0, 0, 4, Duration.ofMinutes(10), "hibernate");

    public VmConfig {
        Objects.requireNonNull(hypervisor, "hypervisor");
        if (!hypervisor.equals("fake") && !hypervisor.equals("qemu")) {
            throw new IllegalArgumentException("hypervisor \"" + hypervisor + "\" is not allowed; allowed: qemu, fake"
                    + " (in-process stand-ins for tests and demos)");
        }
        Objects.requireNonNull(accel, "accel");
        if (!accel.equals("auto") && !accel.equals("kvm") && !accel.equals("tcg")) {
            throw new IllegalArgumentException("accel \"" + accel + "\" is not allowed; allowed: auto (KVM when a probe"
                    + " guest runs under it, else TCG), kvm, tcg");
        }
        if (wakeWaiters < 1 || wakeWaiters > 1_000_000) {
            throw new IllegalArgumentException("wake-waiters " + wakeWaiters + " is out of range; allowed 1-1000000");
        }
        positive("ready-timeout", readyTimeout);
        positive("room-wait", roomWait);
        positive("preempt-idle-after", preemptIdleAfter);
        positive("heartbeat-interval", heartbeatInterval);
        if (heartbeatMisses < 1 || heartbeatMisses > 100) {
            throw new IllegalArgumentException("heartbeat-misses " + heartbeatMisses + " is out of range; allowed 1-100");
        }
        positive("reconcile-interval", reconcileInterval);
        positive("default-wake-estimate", defaultWakeEstimate);
        positive("fleet-sync", fleetSync);
        if (!(cpuOvercommit >= 1.0 && cpuOvercommit <= 64.0)) {
            throw new IllegalArgumentException("cpu-overcommit " + cpuOvercommit + " is out of range; allowed 1.0-64.0"
                    + " (vCPUs placed per host CPU)");
        }
        if (poolMin < 0 || poolMin > 64) {
            throw new IllegalArgumentException("pool-min " + poolMin + " is out of range; allowed 0-64");
        }
        if (poolMax < poolMin || poolMax > 64) {
            throw new IllegalArgumentException("pool-max " + poolMax + " is out of range; allowed pool-min ("
                    + poolMin + ") to 64");
        }
        positive("wake-rate-window", wakeRateWindow);
        if (wakeRateWindow.compareTo(Duration.ofMinutes(1)) < 0 || wakeRateWindow.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("wake-rate-window " + HumanDuration.format(wakeRateWindow)
                    + " is out of range; allowed 1m to 1d (the pool follows wakes per minute of the recent past)");
        }
        Objects.requireNonNull(onStop, "on-stop");
        if (!onStop.equals("hibernate") && !onStop.equals("stop") && !onStop.equals("leave")) {
            throw new IllegalArgumentException("on-stop \"" + onStop + "\" is not allowed; allowed: hibernate (save"
                    + " running VMs, they wake with their memory), stop (shut them down), leave (the next start"
                    + " settles them at their last committed version)");
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || !value.isPositive()) {
            throw new IllegalArgumentException(key + " " + value + " must be a positive duration such as 10s");
        }
    }
}
