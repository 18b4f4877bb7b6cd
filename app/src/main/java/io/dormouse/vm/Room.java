package io.dormouse.vm;

import io.dormouse.alloc.AllocException;
import io.dormouse.alloc.Allocator;
import io.dormouse.alloc.Demand;
import io.dormouse.alloc.Placement;
import io.dormouse.alloc.Resources;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Room on a host for a VM about to run: at once, after preempting idle VMs of lower priority, or after
 * waiting in the restore queue, as the allocator decides.
 */
final class Room {

    private final Allocator allocator;
    private final Duration wait;

    Room(Allocator allocator, Duration wait) {
        this.allocator = allocator;
        this.wait = wait;
    }

    /**
     * The host the VM now holds room on.
     *
     * @param preempt hibernates one VM the allocator chose to preempt, and returns once it is done
     * @throws VmException OVER_CAPACITY when no host could ever hold the VM
     * @throws IllegalStateException when no room came within the wait
     */
    String claim(Vm vm, Consumer<String> preempt) {
        Demand demand = demand(vm);
        for (int attempt = 0; attempt < 3; attempt++) {
            Placement placement;
            try {
                placement = allocator.admit(demand);
            } catch (AllocException e) {
                throw new VmException(VmException.Kind.OVER_CAPACITY, vm.name(), e.getMessage(), e);
            }
            switch (placement) {
                case Placement.Placed placed -> {
                    return placed.host();
                }
                case Placement.Preempt victims -> victims.victims().forEach(preempt);
                case Placement.Queued queued -> {
                    return waitFor(vm, queued);
                }
            }
        }
        throw new IllegalStateException("no room on any host even after preempting idle VMs of lower priority");
    }

    static Demand demand(Vm vm) {
        return new Demand(vm.name(), vm.definition() == null ? Resources.NONE : vm.definition().needs(),
                vm.policy().slaClass(), vm.policy().priority());
    }

    private String waitFor(Vm vm, Placement.Queued queued) {
        try {
            return queued.placed().get(wait.toMillis(), TimeUnit.MILLISECONDS).host();
        } catch (TimeoutException e) {
            allocator.cancel(vm.name());
            throw new IllegalStateException("no room on any host within " + wait + " (it was number "
                    + queued.position() + " in the restore queue)");
        } catch (InterruptedException e) {
            allocator.cancel(vm.name());
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
