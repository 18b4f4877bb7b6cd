package io.dormouse.telemetry;

import java.util.List;

/** The VMs to sample, asked once per round: the VM manager adapts its fleet and hypervisor to it. */
@FunctionalInterface
public interface SampledVms {

    /** Every VM that exists now, running or not; a VM left out has its gauges removed. */
    List<SampledVm> list();
}
