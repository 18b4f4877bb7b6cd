package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.Resources;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.VmConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Room for two VMs and three wanted, through the lifecycle on the fake hypervisor. */
class PreemptionTest {

    @TempDir
    Path dir;

    private static VmConfig config(boolean preemption, Duration roomWait) {
        VmConfig d = DormouseConfig.defaults().vm();
        return new VmConfig(d.hypervisor(), d.accel(), d.wakeWaiters(), d.readyTimeout(), roomWait, preemption,
                d.preemptIdleAfter(), d.heartbeatInterval(), d.heartbeatMisses(), d.reconcileInterval(),
                d.defaultWakeEstimate(), d.fleetSync(), d.cpuOvercommit(), d.poolMin(), d.poolMax(),
                d.wakeRateWindow(), d.onStop());
    }

    @Test
    void preemptionHibernatesTheLowestPriorityIdleVmForAHigherOne() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(2, 1024, 0), config(true, Duration.ofSeconds(10)))) {
            world.lifecycle.create("low", world.definition(128, 1, "bronze"), Reason.API).await();
            world.lifecycle.create("lower", world.definition(128, 0, "standard"), Reason.API).await();
            Vm urgent = world.lifecycle.create("urgent", world.definition(128, 9, "gold"), Reason.API).await();

            assertThat(urgent.state()).isEqualTo(VmState.RUNNING);
            assertThat(world.fleet.get("lower").state()).isEqualTo(VmState.HIBERNATED);
            assertThat(world.fleet.get("low").state()).isEqualTo(VmState.RUNNING);
            assertThat(world.store.vmEvents().listByVm(world.fleet.get("lower").id()).getLast().reason())
                    .isEqualTo("preempt");
        }
    }

    @Test
    void withoutPreemptionTheThirdWaitsForRoomThenRuns() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(2, 1024, 0), config(false, Duration.ofSeconds(10)))) {
            world.lifecycle.create("a", world.definition(128, 0, "bronze"), Reason.API).await();
            world.lifecycle.create("b", world.definition(128, 0, "standard"), Reason.API).await();
            Lifecycle.Pending third = world.lifecycle.create("c", world.definition(128, 9, "gold"), Reason.API);
            Thread.sleep(200);
            assertThat(third.done()).as("no room: waiting in the restore queue").isNotDone();
            assertThat(world.allocator.queueDepth()).isEqualTo(1);
            world.lifecycle.hibernate("a", Reason.SCHEDULE).await();
            assertThat(third.await().state()).isEqualTo(VmState.RUNNING);
            assertThat(world.allocator.queueDepth()).isZero();
        }
    }
}
