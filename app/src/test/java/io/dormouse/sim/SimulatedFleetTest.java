package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedFleetTest {

    /** A ramp 0..99: level i/98 (its 99th percentile is 98), so requests at scale 1 are floor(i * 10 / 98). */
    private static Trace ramp(String name) {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return new Trace(name, Instant.EPOCH, v);
    }

    @Test
    void theSameSeedBuildsTheSameFleetAndAnotherSeedAnother() {
        List<Trace> traces = List.of(ramp("a"), ramp("b"), ramp("c"));

        SimulatedFleet one = SimulatedFleet.build(traces, 50, 7);
        SimulatedFleet again = SimulatedFleet.build(traces, 50, 7);
        SimulatedFleet other = SimulatedFleet.build(traces, 50, 8);

        assertThat(again.vms()).isEqualTo(one.vms());
        assertThat(other.vms()).isNotEqualTo(one.vms());
        // a VM does not depend on how many others are built after it
        assertThat(SimulatedFleet.build(traces, 10, 7).vms()).isEqualTo(one.vms().subList(0, 10));
    }

    @Test
    void vmsTakeTheTracesInTurnWithShiftsInsideTheTraceAndScalesAroundOne() {
        SimulatedFleet fleet = SimulatedFleet.build(List.of(ramp("a"), ramp("b")), 2000, 3);

        double logSum = 0;
        for (SimulatedVm vm : fleet.vms()) {
            assertThat(vm.trace()).isEqualTo(vm.index() % 2);
            assertThat(vm.shift()).isBetween(0, 99);
            logSum += Math.log(vm.scale());
        }
        assertThat(logSum / fleet.size()).as("mean log scale").isBetween(-0.05, 0.05);
        assertThat(fleet.vms().stream().map(SimulatedVm::shift).distinct().count()).isGreaterThan(90);
    }

    @Test
    void requestsAreTheTraceReadAsALoopFromItsShiftAndScaled() {
        SimulatedFleet fleet = SimulatedFleet.build(List.of(ramp("a")), 1, 1);
        SimulatedVm vm = fleet.vms().getFirst();
        int[] requests = new int[150];

        fleet.requests(vm, requests);

        for (int t = 0; t < requests.length; t++) {
            int step = (vm.shift() + t) % 100;
            assertThat(requests[t]).as("step " + t).isEqualTo((int) Math.floor(step / 98.0 * 10 * vm.scale()));
        }
    }

    @Test
    void aFlatTraceHasNoDemandAndAnEmptyFleetIsRefused() {
        SimulatedFleet fleet = SimulatedFleet.build(List.of(new Trace("flat", Instant.EPOCH, new double[] {5, 5, 5})), 1, 1);
        int[] requests = new int[6];
        fleet.requests(fleet.vms().getFirst(), requests);
        assertThat(requests).containsOnly(0);

        assertThatThrownBy(() -> SimulatedFleet.build(List.of(ramp("a")), 0, 1)).hasMessageContaining("vms must be at least 1, got 0");
        assertThatThrownBy(() -> SimulatedFleet.build(List.of(), 3, 1)).hasMessageContaining("no traces");
    }
}
