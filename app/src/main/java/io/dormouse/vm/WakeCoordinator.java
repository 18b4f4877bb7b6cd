package io.dormouse.vm;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wakes hibernated VMs: however many callers ask for one VM, one restore runs and every caller gets its
 * outcome. The callers waiting on one VM are bounded; beyond the bound a wake fails at once as busy.
 */
public final class WakeCoordinator {

    /** Brings one VM back, blocking until it runs or the restore failed. */
    @FunctionalInterface
    public interface Restore {
        Vm restore(String vm, Reason reason);
    }

    private record Attempt(CompletableFuture<Vm> outcome, AtomicInteger waiters) {
    }

    private final Fleet fleet;
    private final Restore restore;
    private final int maxWaiters;
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    /** @param maxWaiters callers that may wait on one VM at a time, 1 or more */
    public WakeCoordinator(Fleet fleet, Restore restore, int maxWaiters) {
        if (maxWaiters < 1) {
            throw new IllegalArgumentException("maxWaiters must be 1 or more, got " + maxWaiters);
        }
        this.fleet = fleet;
        this.restore = restore;
        this.maxWaiters = maxWaiters;
    }

    /**
     * The VM once it runs. Completes at once for a running VM; joins the restore under way, or starts
     * one, for any other. Never blocks; the future fails with the restore's {@link VmException}.
     */
    public CompletableFuture<Vm> wake(String name, Reason reason) {
        Vm vm = fleet.find(name).orElse(null);
        if (vm == null) {
            return CompletableFuture.failedFuture(VmException.notFound(name));
        }
        fleet.touch(name);
        if (vm.state() instanceof VmState.Running && !attempts.containsKey(name)) {
            return CompletableFuture.completedFuture(vm);
        }
        Attempt attempt = attempts.computeIfAbsent(name, n -> start(n, reason));
        if (attempt.waiters.incrementAndGet() > maxWaiters) {
            attempt.waiters.decrementAndGet();
            return CompletableFuture.failedFuture(new VmException(VmException.Kind.BUSY, name, maxWaiters
                    + " callers wait for VM " + name + " already; try again once it is awake"));
        }
        // each caller gets its own copy, so that one caller cancelling cannot cancel the others
        CompletableFuture<Vm> mine = attempt.outcome.copy();
        mine.whenComplete((v, e) -> attempt.waiters.decrementAndGet());
        return mine;
    }

    /** VMs with a wake under way. */
    public int inFlight() {
        return attempts.size();
    }

    private Attempt start(String name, Reason reason) {
        Attempt attempt = new Attempt(new CompletableFuture<>(), new AtomicInteger());
        Thread.ofVirtual().name("wake-" + name).start(() -> {
            try {
                Vm woken = restore.restore(name, reason);
                attempts.remove(name, attempt);
                attempt.outcome.complete(woken);
            } catch (RuntimeException | Error e) {
                attempts.remove(name, attempt);
                attempt.outcome.completeExceptionally(e);
            }
        });
        return attempt;
    }
}
