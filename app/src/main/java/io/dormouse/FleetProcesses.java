package io.dormouse;

import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.Machine;
import io.dormouse.telemetry.GuestProcess;
import io.dormouse.telemetry.SampledVm;
import io.dormouse.telemetry.SampledVms;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.VmState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Telemetry's view of the fleet: every VM that is not terminated, with the process of the machine the
 * hypervisor runs for it, matched by name.
 */
final class FleetProcesses implements SampledVms {

    private final Fleet fleet;
    private final Hypervisor hypervisor;

    FleetProcesses(Fleet fleet, Hypervisor hypervisor) {
        this.fleet = fleet;
        this.hypervisor = hypervisor;
    }

    @Override
    public List<SampledVm> list() {
        Map<String, Machine> machines = new HashMap<>();
        hypervisor.running().forEach(m -> machines.put(m.name(), m));
        return fleet.list().stream()
                .filter(vm -> !(vm.state() instanceof VmState.Terminated))
                .map(vm -> new SampledVm(vm.id(), vm.name(), Optional.ofNullable(machines.get(vm.name()))
                        .filter(m -> m.processId().isPresent())
                        .map(MachineProcess::new)))
                .toList();
    }

    /** A machine that runs in a host process of its own. */
    private record MachineProcess(Machine machine) implements GuestProcess {

        @Override
        public long pid() {
            return machine.processId().orElseThrow();
        }

        @Override
        public OptionalLong balloonBytes() {
            return machine.balloonBytes();
        }
    }
}
