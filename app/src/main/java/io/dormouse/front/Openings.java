package io.dormouse.front;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Limits how many connections per VM are being opened at once: from the connect to the VM until its
 * first reply, or until {@code patience} passes for protocols where the client speaks first and may
 * wait. A burst of held connections released by a wake would otherwise overflow the guest's accept
 * queue behind QEMU's user-mode networking, which then resets or stalls the connections it dropped.
 */
final class Openings {

    private final int perVm;
    private final Duration patience;
    private final Map<String, Semaphore> byVm = new ConcurrentHashMap<>();

    Openings(int perVm, Duration patience) {
        this.perVm = perVm;
        this.patience = patience;
    }

    /** Waits for a turn to open a connection to {@code vm}; the turn ends on its first reply or after the patience. */
    Turn begin(String vm) throws InterruptedException {
        Semaphore permits = byVm.computeIfAbsent(vm, v -> new Semaphore(perVm));
        permits.acquire();
        Turn turn = new Turn(permits);
        // on a virtual thread: the common pool may be busy (or one thread wide on a small machine)
        CompletableFuture.delayedExecutor(patience.toNanos(), TimeUnit.NANOSECONDS, r -> Thread.ofVirtual().start(r))
                .execute(turn::end);
        return turn;
    }

    void retain(Set<String> vms) {
        byVm.keySet().retainAll(vms);
    }

    /** One connection's turn; ending it more than once is harmless. */
    static final class Turn {
        private final Semaphore permits;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Turn(Semaphore permits) {
            this.permits = permits;
        }

        void end() {
            if (ended.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }
}
