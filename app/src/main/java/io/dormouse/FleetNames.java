package io.dormouse;

import io.dormouse.dns.Names;
import io.dormouse.dns.VmEntry;
import io.dormouse.dns.VmStateRecord;
import io.dormouse.dns.WakeResult;
import io.dormouse.dns.Waker;
import io.dormouse.telemetry.DnsQueryCounts;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Reason;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmDefinition;
import io.dormouse.vm.VmState;
import io.dormouse.vm.WakeCoordinator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * The DNS front door's view of the fleet: names answered from the in-memory {@link Fleet}, wakes sent
 * to the {@link WakeCoordinator}. Only running, healthy VMs get their address; a terminated VM is gone.
 * Queries for a VM's name are counted as its demand, unless they come from an excluded source.
 */
final class FleetNames implements Names, Waker {

    private final Fleet fleet;
    private final WakeCoordinator wakes;
    private final DnsQueryCounts queries;
    private final Predicate<InetAddress> excluded;

    /** @param excluded clients (telemetry.excluded-sources) whose queries are not demand */
    FleetNames(Fleet fleet, WakeCoordinator wakes, DnsQueryCounts queries, Predicate<InetAddress> excluded) {
        this.fleet = fleet;
        this.wakes = wakes;
        this.queries = queries;
        this.excluded = excluded;
    }

    @Override
    public Optional<VmEntry> lookup(String vmName) {
        return fleet.find(vmName).flatMap(vm -> {
            fleet.touch(vmName);
            return entry(vm);
        });
    }

    @Override
    public void queried(String vmName, InetAddress client) {
        if (excluded.test(client)) {
            return;
        }
        Optional<Vm> vm = fleet.find(vmName);
        if (vm.isPresent()) {
            queries.count(vm.get().id());
        }
    }

    @Override
    public CompletableFuture<WakeResult> wake(String vmName) {
        return wakes.wake(vmName, Reason.DNS).handle((vm, e) -> {
            if (e == null) {
                return vm.address() == null ? new WakeResult.Failed("VM " + vmName + " woke without an address")
                        : new WakeResult.Ready(vm.address());
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return new WakeResult.Failed(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        });
    }

    static Optional<VmEntry> entry(Vm vm) {
        VmStateRecord facts = facts(vm);
        String name = vm.name();
        return switch (vm.state()) {
            case VmState.Running r -> vm.address() == null ? Optional.empty() : vm.healthy()
                    ? Optional.of(new VmEntry.Running(vm.address(), facts))
                    : Optional.of(new VmEntry.Failed("VM " + name + " is unhealthy: it misses its heartbeats", facts));
            case VmState.Hibernated h -> front(vm).map(f -> new VmEntry.Hibernated(f, facts));
            case VmState.Hibernating h -> front(vm).map(f -> new VmEntry.Hibernated(f, facts));
            case VmState.Restoring r -> front(vm).map(f -> new VmEntry.Waking(f, facts));
            case VmState.Provisioning p -> front(vm).map(f -> new VmEntry.Waking(f, facts));
            case VmState.Stopping s -> Optional.of(stopped(name, facts));
            case VmState.Stopped s -> Optional.of(stopped(name, facts));
            case VmState.Failed f -> Optional.of(new VmEntry.Failed("VM " + name
                    + " failed; 'dormouse vm events " + name + "' says why", facts));
            case VmState.Terminated t -> Optional.empty();
        };
    }

    private static VmEntry stopped(String name, VmStateRecord facts) {
        return new VmEntry.Failed("VM " + name + " is stopped; 'dormouse vm start " + name + "' starts it", facts);
    }

    private static Optional<Inet4Address> front(Vm vm) {
        return Optional.ofNullable(vm.frontAddress());
    }

    private static VmStateRecord facts(Vm vm) {
        VmDefinition d = vm.definition();
        Vm.Saved saved = vm.saved();
        String location = saved == null ? "" : saved.location();
        if (location.length() > 240) {
            location = location.substring(0, 240);
        }
        return new VmStateRecord(saved == null ? 0 : saved.version(), location, saved == null ? null : saved.at(),
                vm.wakeEstimate(), d == null ? 0 : d.vcpus(), d == null ? 0 : d.memoryMib(),
                d == null ? 0 : (int) Math.min(Integer.MAX_VALUE, d.netMbps()), vm.policy().priority());
    }
}
