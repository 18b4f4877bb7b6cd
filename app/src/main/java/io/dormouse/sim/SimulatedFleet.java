package io.dormouse.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated fleet built from a few traces: VM {@code i} replays trace {@code i mod traces}, shifted
 * by a seeded number of steps and scaled by a seeded lognormal factor, so that VMs sharing a trace
 * differ in phase and in which of their quiet steps see any request. The same seed gives the same fleet.
 */
public final class SimulatedFleet {

    /** Spread of the demand scale: log-normal with this sigma around 1. */
    public static final double SCALE_SIGMA = 0.5;

    private final List<Trace> traces;
    private final List<SimulatedVm> vms;
    private final RequestScale[] demand;

    private SimulatedFleet(List<Trace> traces, List<SimulatedVm> vms) {
        this.traces = List.copyOf(traces);
        this.vms = List.copyOf(vms);
        this.demand = traces.stream().map(RequestScale::of).toArray(RequestScale[]::new);
    }

    /** {@code size} VMs over {@code traces}, shifts and scales drawn from {@code seed} per VM. */
    public static SimulatedFleet build(List<Trace> traces, int size, long seed) {
        if (traces.isEmpty()) {
            throw new SimulationException("fleet: no traces to build VMs from");
        }
        if (size < 1) {
            throw new SimulationException("fleet: vms must be at least 1, got " + size);
        }
        List<SimulatedVm> vms = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int trace = i % traces.size();
            // one generator per VM: the fleet does not depend on the order VMs are built or simulated in
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, i, 0));
            int shift = random.nextInt(traces.get(trace).size());
            double scale = Math.exp(SCALE_SIGMA * random.nextGaussian());
            vms.add(new SimulatedVm(i, trace, shift, scale));
        }
        return new SimulatedFleet(traces, vms);
    }

    public List<SimulatedVm> vms() {
        return vms;
    }

    public List<Trace> traces() {
        return traces;
    }

    public int size() {
        return vms.size();
    }

    /** Fills {@code requests[0..requests.length)} with {@code vm}'s requests per step. */
    public void requests(SimulatedVm vm, int[] requests) {
        demand[vm.trace()].fill(vm.shift(), vm.scale(), requests);
    }
}
