package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.Resources;
import io.dormouse.state.VmEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {

    @TempDir
    Path dir;

    @Test
    void aVmMissingItsProbesIsUnhealthyUntilItAnswersAgain() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            Vm vm = world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            Set<String> silent = ConcurrentHashMap.newKeySet();
            Heartbeat heartbeat = new Heartbeat(world.fleet, world.lifecycle, 3, v -> !silent.contains(v.name()));

            assertThat(heartbeat.round()).isEmpty();
            silent.add("web-1");
            assertThat(heartbeat.round()).isEmpty();
            assertThat(heartbeat.round()).isEmpty();
            assertThat(world.fleet.get("web-1").healthy()).isTrue();
            assertThat(heartbeat.round()).containsExactly("web-1");
            assertThat(world.fleet.get("web-1").healthy()).isFalse();
            assertThat(world.fleet.get("web-1").state()).as("policy keep").isEqualTo(VmState.RUNNING);
            VmEvent event = world.store.vmEvents().listByVm(vm.id()).getLast();
            assertThat(event.reason()).isEqualTo("reconcile");
            assertThat(event.error()).contains("missed 3 heartbeats");
            for (int i = 0; i < 7; i++) {
                assertThat(heartbeat.round()).as("still silent, already unhealthy").isEmpty();
            }
            Thread.sleep(100); // the policy runs on its own thread
            assertThat(world.store.vmEvents().listByVm(vm.id())).as("one event for the whole silence").hasSize(2);

            silent.clear();
            assertThat(heartbeat.round()).isEmpty();
            assertThat(world.fleet.get("web-1").healthy()).isTrue();
        }
    }

    @Test
    void aRestartPolicyBootsTheUnhealthyVmAfresh() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            VmDefinition d = world.definition(128, 0, "standard");
            VmDefinition restart = new VmDefinition(d.vcpus(), d.memoryMib(), d.netMbps(), d.kernel(), d.initrd(),
                    d.cmdline(), d.ports(), d.readinessPort(), d.readinessPath(), d.priority(), d.slaClass(),
                    d.keepReserved(), "restart");
            Vm vm = world.lifecycle.create("web-1", restart, Reason.API).await();
            VmWorld.count(vm);
            Heartbeat heartbeat = new Heartbeat(world.fleet, world.lifecycle, 1, v -> false);
            assertThat(heartbeat.round()).containsExactly("web-1");
            for (int i = 0; i < 100 && world.store.vmEvents().listByVm(vm.id()).size() < 4; i++) {
                Thread.sleep(50);
            }
            for (int i = 0; i < 100 && !(world.fleet.get("web-1").state() instanceof VmState.Running); i++) {
                Thread.sleep(50);
            }
            assertThat(world.store.vmEvents().listByVm(vm.id())).extracting(e -> e.toState() + ":" + e.reason())
                    .containsExactly("running:api", "running:reconcile", "stopped:reconcile", "running:reconcile");
            Vm again = world.fleet.get("web-1");
            assertThat(again.healthy()).isTrue();
            assertThat(VmWorld.count(again)).as("booted afresh: the counter starts over").isEqualTo(1);
        }
    }

    @Test
    void probesTheRealPortOfARunningVm() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            Heartbeat heartbeat = new Heartbeat(world.fleet, world.lifecycle, 1, Duration.ofSeconds(1));
            assertThat(heartbeat.round()).as("the fake guest answers on port 80").isEmpty();
            assertThat(world.fleet.get("web-1").healthy()).isTrue();
        }
    }
}
