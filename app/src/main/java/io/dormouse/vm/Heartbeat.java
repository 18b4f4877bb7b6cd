package io.dormouse.vm;

import io.dormouse.state.VmEvent;
import io.dormouse.hypervisor.ReadinessProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each running VM's readiness port. A VM that misses {@code misses} probes in a row is marked
 * unhealthy (DNS stops answering for it, and an event records why) and its policy decides what follows:
 * keep it, restart it, or restore its last committed version.
 */
public final class Heartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final Fleet fleet;
    private final Lifecycle lifecycle;
    private final int misses;
    private final Predicate<Vm> probe;
    private final Map<String, Integer> missed = new ConcurrentHashMap<>();

    /**
     * Probes as a start or restore waits for readiness: the readiness path answers 2xx, or the readiness
     * port stays open (a bare connect is not enough: QEMU's user networking accepts on the host side even
     * when nothing listens in the guest).
     */
    public Heartbeat(Fleet fleet, Lifecycle lifecycle, int misses, Duration timeout) {
        this(fleet, lifecycle, misses, vm -> answers(vm, timeout));
    }

    Heartbeat(Fleet fleet, Lifecycle lifecycle, int misses, Predicate<Vm> probe) {
        this.fleet = fleet;
        this.lifecycle = lifecycle;
        this.misses = misses;
        this.probe = probe;
    }

    /** Probes every running VM once, in parallel; returns the VMs found unhealthy in this round. */
    public List<String> round() {
        List<Vm> running = fleet.list().stream()
                .filter(vm -> vm.state() instanceof VmState.Running && vm.address() != null).toList();
        Map<String, Boolean> answers = new ConcurrentHashMap<>();
        List<Thread> probes = new ArrayList<>();
        for (Vm vm : running) {
            probes.add(Thread.ofVirtual().name("heartbeat-" + vm.name()).start(() -> answers.put(vm.name(), probe.test(vm))));
        }
        for (Thread t : probes) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        List<String> unhealthy = new ArrayList<>();
        for (Vm vm : running) {
            if (answers.getOrDefault(vm.name(), false)) {
                missed.remove(vm.name());
                fleet.find(vm.name()).filter(v -> !v.healthy() && v.version() == vm.version())
                        .ifPresent(v -> fleet.put(v.withHealthy(true)));
            } else if (missed.merge(vm.name(), 1, Integer::sum) == misses) {
                unhealthy.add(vm.name());
                unhealthy(vm);
            }
        }
        return unhealthy;
    }

    private void unhealthy(Vm vm) {
        String why = "missed " + misses + " heartbeats in a row on port "
                + vm.definition().effectiveReadinessPort();
        synchronized (lifecycle.lock(vm.name())) {
            Vm now = fleet.get(vm.name());
            if (!(now.state() instanceof VmState.Running)) {
                return;
            }
            lifecycle.journal().record(now, now.state(), Reason.RECONCILE, VmEvent.Outcome.FAILED, why);
            fleet.put(fleet.get(vm.name()).withHealthy(false));
        }
        Policy.OnUnhealthy action = vm.policy().onUnhealthy();
        LOG.atWarn().addKeyValue("vm", vm.name()).addKeyValue("action", action).log("VM unhealthy: " + why);
        Thread.ofVirtual().name("unhealthy-" + vm.name()).start(() -> {
            try {
                switch (action) {
                    case KEEP -> {
                        // its misses keep counting: one event, not one every few probes, until it answers
                        return;
                    }
                    case RESTART -> {
                        lifecycle.stop(vm.name(), Reason.RECONCILE).await();
                        lifecycle.start(vm.name(), Reason.RECONCILE).await();
                    }
                    case RESTORE -> {
                        Vm failed = lifecycle.fail(vm.name(), Reason.RECONCILE, why);
                        // never hibernated: nothing to restore, so it boots afresh
                        (failed.saved() == null ? lifecycle.start(vm.name(), Reason.RECONCILE)
                                : lifecycle.restore(vm.name(), OptionalLong.empty(), Reason.RECONCILE)).await();
                    }
                }
                // a new machine: judged afresh
                missed.remove(vm.name());
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("vm", vm.name()).setCause(e).log("acting on an unhealthy VM failed");
            }
        });
    }

    private static boolean answers(Vm vm, Duration timeout) {
        if (vm.definition() == null || vm.definition().effectiveReadinessPort() == 0) {
            return true;
        }
        return ReadinessProbe.ready(vm.address(), MachineSpecs.of(vm, timeout).readiness(), timeout);
    }
}
