package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clean server stop keeps what an operator expects of running VMs ({@code vm.on-stop}). */
class ServerStopTest {

    private static final Resources HOST = new Resources(8, 4096, 0);

    @TempDir
    Path dir;

    @Test
    void hibernateSavesRunningVmsSoThatTheyWakeWithTheirMemoryAfterARestart() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            Vm a = world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            Vm b = world.lifecycle.create("web-2", world.definition(128, 0, "standard"), Reason.API).await();
            VmWorld.count(a);
            VmWorld.count(a);
            VmWorld.count(b);
            world.lifecycle.create("asleep", world.definition(128, 0, "standard"), Reason.API).await();
            world.lifecycle.hibernate("asleep", Reason.API).await();

            Map<String, String> outcome = ServerStop.run(world.fleet, world.lifecycle, ServerStop.Action.HIBERNATE,
                    Duration.ofSeconds(30));
            assertThat(outcome).containsOnly(Map.entry("web-1", "hibernated"), Map.entry("web-2", "hibernated"));
            assertThat(world.store.vmEvents().listByVm(a.id()).getLast().reason()).isEqualTo("shutdown");
        }
        try (VmWorld restarted = new VmWorld(dir, HOST)) {
            new Reconciler(restarted.store, restarted.fleet, restarted.lifecycle).atStartup();
            assertThat(restarted.fleet.get("web-1").state()).isEqualTo(VmState.HIBERNATED);
            assertThat(VmWorld.count(restarted.lifecycle.wake("web-1", Reason.DNS))).as("memory kept").isEqualTo(3);
            assertThat(VmWorld.count(restarted.lifecycle.wake("web-2", Reason.DNS))).as("memory kept").isEqualTo(2);
        }
    }

    @Test
    void stopShutsRunningVmsDownAndLeaveTouchesNothing() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            assertThat(ServerStop.run(world.fleet, world.lifecycle, ServerStop.Action.LEAVE, Duration.ofSeconds(30)))
                    .isEmpty();
            assertThat(world.fleet.get("web-1").state()).isEqualTo(VmState.RUNNING);

            assertThat(ServerStop.run(world.fleet, world.lifecycle, ServerStop.Action.STOP, Duration.ofSeconds(30)))
                    .containsExactly(Map.entry("web-1", "stopped"));
            assertThat(world.fleet.get("web-1").state()).isEqualTo(VmState.STOPPED);
            assertThat(world.hypervisor.running()).isEmpty();
        }
    }

    @Test
    void aHibernationUnderWayEndsBeforeTheStopActs() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            world.lifecycle.hibernate("web-1", Reason.API);
            Map<String, String> outcome = ServerStop.run(world.fleet, world.lifecycle, ServerStop.Action.HIBERNATE,
                    Duration.ofSeconds(30));
            assertThat(outcome).as("already hibernated by then").isEmpty();
            assertThat(world.fleet.get("web-1").state()).isEqualTo(VmState.HIBERNATED);
        }
    }
}
