package io.dormouse.vm;

import io.dormouse.hypervisor.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The hypervisor's machine spec of a VM: the same for every start and restore of one VM (a restore needs
 * the machine arguments unchanged). The hypervisor picks a free address each time; the fleet publishes it.
 */
final class MachineSpecs {

    private MachineSpecs() {
    }

    static VmSpec of(Vm vm, Duration readyTimeout) {
        VmDefinition d = vm.definition();
        if (d == null) {
            throw new VmException(VmException.Kind.INVALID_SPEC, vm.name(), "the stored spec of VM " + vm.name()
                    + " is not a VM definition this version can run; 'dormouse vm show " + vm.name() + "' shows it");
        }
        int port = d.effectiveReadinessPort();
        VmSpec.Readiness readiness = d.readinessPath() == null ? new VmSpec.TcpReadiness(port, readyTimeout)
                : new VmSpec.HttpReadiness(port, d.readinessPath(), readyTimeout);
        VmSpec.Boot boot = new VmSpec.KernelBoot(Path.of(d.kernel()), d.initrd() == null ? null : Path.of(d.initrd()),
                d.cmdline());
        return new VmSpec(vm.name(), d.vcpus(), Math.toIntExact(d.memoryMib()), boot, List.of(), d.ports(), "max",
                readiness, null, true);
    }
}
