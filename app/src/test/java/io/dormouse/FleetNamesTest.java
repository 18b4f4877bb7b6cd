package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.SlaClass;
import io.dormouse.dns.VmEntry;
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

class FleetNamesTest {

    private static final VmDefinition DEFINITION = new VmDefinition(2, 256, 100, "/boot/vmlinuz", null, null,
            List.of(80), 0, null, 4, "gold", false, "keep");
    private static final Instant SAVED_AT = Instant.parse("2026-11-22T07:00:00Z");

    private static Vm vm(VmState state, boolean healthy) {
        return new Vm(3, "web-1", state, DEFINITION, DEFINITION.policy(), state instanceof VmState.Running ? ip("127.77.0.3") : null,
                ip("127.2.0.3"), null, healthy, new Vm.Saved(5, "manifests/3/5", SAVED_AT, 1 << 20),
                Duration.ofMillis(850), SAVED_AT, SAVED_AT, 9);
    }

    private static Inet4Address ip(String text) {
        return (Inet4Address) InetAddress.ofLiteral(text);
    }

    @Test
    void answersOnlyRunningHealthyVmsWithTheirAddress() {
        assertThat(FleetNames.entry(vm(VmState.RUNNING, true))).hasValueSatisfying(e ->
                assertThat(e).isEqualTo(new VmEntry.Running(ip("127.77.0.3"), e.state())));
        assertThat(FleetNames.entry(vm(VmState.RUNNING, false))).hasValueSatisfying(e ->
                assertThat(e).isInstanceOfSatisfying(VmEntry.Failed.class, f -> assertThat(f.reason()).contains("unhealthy")));
        assertThat(FleetNames.entry(vm(VmState.HIBERNATED, true))).hasValueSatisfying(e ->
                assertThat(e).isEqualTo(new VmEntry.Hibernated(ip("127.2.0.3"), e.state())));
        assertThat(FleetNames.entry(vm(VmState.RESTORING, true))).hasValueSatisfying(e ->
                assertThat(e).isInstanceOf(VmEntry.Waking.class));
        assertThat(FleetNames.entry(vm(VmState.STOPPED, true))).hasValueSatisfying(e ->
                assertThat(e).isInstanceOfSatisfying(VmEntry.Failed.class, f -> assertThat(f.reason()).contains("is stopped")));
        assertThat(FleetNames.entry(vm(VmState.TERMINATED, true))).as("a terminated VM is gone: NXDOMAIN").isEmpty();
    }

    @Test
    void publishesTheVmstateFacts() {
        VmEntry entry = FleetNames.entry(vm(VmState.HIBERNATED, true)).orElseThrow();
        assertThat(entry.state().strings()).containsExactly("version=5", "location=manifests/3/5",
                "hibernated-at=2026-11-22T07:00:00Z", "wake-estimate-ms=850", "cpus=2", "memory-mib=256",
                "net-mbps=100", "priority=4");
        assertThat(new Policy(4, SlaClass.GOLD, false, Policy.OnUnhealthy.KEEP)).isEqualTo(DEFINITION.policy());
    }
}
