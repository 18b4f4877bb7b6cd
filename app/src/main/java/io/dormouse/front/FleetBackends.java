package io.dormouse.front;

import io.dormouse.vm.Fleet;
import io.dormouse.vm.Reason;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmState;
import io.dormouse.vm.WakeCoordinator;
import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The fleet as the front door's backends: VMs read from memory, wakes through the {@link WakeCoordinator}. */
final class FleetBackends implements Backends {

    private final Fleet fleet;
    private final WakeCoordinator wakes;

    FleetBackends(Fleet fleet, WakeCoordinator wakes) {
        this.fleet = fleet;
        this.wakes = wakes;
    }

    @Override
    public List<Target> targets() {
        return fleet.list().stream().map(FleetBackends::target).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<Target> find(String vm) {
        return fleet.find(vm).flatMap(FleetBackends::target);
    }

    @Override
    public CompletableFuture<Inet4Address> wake(String vm) {
        return wakes.wake(vm, Reason.FRONT).thenApply(woken -> {
            if (woken.address() == null) {
                throw new IllegalStateException("VM " + vm + " woke without an address");
            }
            return woken.address();
        });
    }

    @Override
    public void touch(String vm) {
        fleet.touch(vm);
    }

    static Optional<Target> target(Vm vm) {
        if (vm.frontAddress() == null || vm.state() instanceof VmState.Terminated) {
            return Optional.empty();
        }
        List<Integer> ports = vm.definition() == null ? List.of() : vm.definition().ports();
        Target.Readiness readiness = switch (vm.state()) {
            case VmState.Running r -> vm.healthy() && vm.address() != null ? Target.Readiness.UP
                    : Target.Readiness.DOWN;
            case VmState.Hibernated h -> Target.Readiness.ASLEEP;
            case VmState.Hibernating h -> Target.Readiness.ASLEEP;
            case VmState.Restoring r -> Target.Readiness.ASLEEP;
            case VmState.Provisioning p -> Target.Readiness.ASLEEP;
            case VmState.Stopping s -> Target.Readiness.DOWN;
            case VmState.Stopped s -> Target.Readiness.DOWN;
            case VmState.Failed f -> Target.Readiness.DOWN;
            case VmState.Terminated t -> Target.Readiness.DOWN;
        };
        boolean unhealthy = vm.state() instanceof VmState.Running && !vm.healthy();
        String state = vm.state().label() + (unhealthy ? " (unhealthy)" : "");
        return Optional.of(new Target(vm.id(), vm.name(), vm.frontAddress(), ports, readiness,
                readiness == Target.Readiness.UP ? vm.address() : null, state));
    }
}
