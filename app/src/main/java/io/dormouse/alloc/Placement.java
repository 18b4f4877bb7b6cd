package io.dormouse.alloc;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the allocator decided for a demand. */
public sealed interface Placement {

    /** Room was claimed on {@code host}; release it when the VM stops using it. */
    record Placed(String host) implements Placement {
    }

    /**
     * No room now, but hibernating these idle, lower-priority VMs makes enough: do so, then ask again.
     * Nothing is claimed yet.
     */
    record Preempt(String host, List<String> victims) implements Placement {
        public Preempt {
            victims = List.copyOf(victims);
        }
    }

    /** Waiting in the restore queue; {@code placed} completes with the host once room frees up. */
    record Queued(int position, CompletableFuture<Placed> placed) implements Placement {
    }
}
