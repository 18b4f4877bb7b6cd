package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.SlaClass;
import io.dormouse.vm.Policy;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmDefinition;
import io.dormouse.vm.VmState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each lifecycle state means at the front door. */
class FleetBackendsTest {

    private static final Inet4Address ADDRESS = (Inet4Address) InetAddress.ofLiteral("127.77.0.3");
    private static final Inet4Address FRONT = (Inet4Address) InetAddress.ofLiteral("127.2.0.3");

    @Test
    void onlyARunningHealthyVmIsUpAndSleepingOrStartingOnesAreWoken() {
        assertThat(readiness(VmState.RUNNING, true)).isEqualTo(Target.Readiness.UP);
        assertThat(readiness(VmState.RUNNING, false)).isEqualTo(Target.Readiness.DOWN);
        for (VmState s : List.of(VmState.HIBERNATED, VmState.HIBERNATING, VmState.RESTORING, VmState.PROVISIONING)) {
            assertThat(readiness(s, true)).as(s.label()).isEqualTo(Target.Readiness.ASLEEP);
        }
        for (VmState s : List.of(VmState.STOPPING, VmState.STOPPED, VmState.FAILED)) {
            assertThat(readiness(s, true)).as(s.label()).isEqualTo(Target.Readiness.DOWN);
        }
    }

    @Test
    void theDeclaredPortsAreListenedOnAndTerminatedOrFrontlessVmsNotAtAll() {
        Target t = FleetBackends.target(vm(VmState.HIBERNATED, true, FRONT)).orElseThrow();
        assertThat(t.ports()).containsExactly(80, 8080);
        assertThat(t.front()).isEqualTo(FRONT);
        assertThat(t.id()).isEqualTo(3);
        assertThat(t.address()).as("no address to splice to while asleep").isNull();
        assertThat(FleetBackends.target(vm(VmState.TERMINATED, true, FRONT))).isEmpty();
        assertThat(FleetBackends.target(vm(VmState.RUNNING, true, null))).isEmpty();
    }

    private static Target.Readiness readiness(VmState state, boolean healthy) {
        return FleetBackends.target(vm(state, healthy, FRONT)).orElseThrow().readiness();
    }

    private static Vm vm(VmState state, boolean healthy, Inet4Address front) {
        VmDefinition definition = new VmDefinition(1, 128, 0, "vmlinuz", null, null, List.of(80, 8080), 0, null, 0,
                "standard", false, "keep");
        return new Vm(3, "web", state, definition, new Policy(0, SlaClass.STANDARD, false, Policy.OnUnhealthy.KEEP),
                state instanceof VmState.Running ? ADDRESS : null, front, "local", healthy, null, Duration.ofSeconds(2),
                Instant.EPOCH, Instant.EPOCH, 1);
    }
}
