package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.alloc.Resources;
import io.dormouse.state.VmEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

    @TempDir
    Path dir;
    VmWorld world;

    @BeforeEach
    void open() {
        world = new VmWorld(dir, new Resources(4, 1024, 0));
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void createsARunningVmAndRecordsTheTransition() throws Exception {
        Lifecycle.Pending pending = world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API);
        assertThat(pending.vm().state()).isEqualTo(VmState.PROVISIONING);
        Vm vm = pending.await();
        assertThat(vm.state()).isEqualTo(VmState.RUNNING);
        assertThat(vm.address().isLoopbackAddress()).isTrue();
        assertThat(vm.frontAddress().getHostAddress()).isEqualTo("127.2.0." + vm.id());
        assertThat(world.fleet.get("web-1")).isEqualTo(vm);
        assertThat(VmWorld.count(vm)).isEqualTo(1);
        assertThat(world.store.vms().find("web-1").orElseThrow().state()).isEqualTo("running");
        List<VmEvent> events = world.store.vmEvents().listByVm(vm.id());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.fromState()).isEqualTo("provisioning");
            assertThat(e.toState()).isEqualTo("running");
            assertThat(e.reason()).isEqualTo("api");
            assertThat(e.outcome()).isEqualTo(VmEvent.Outcome.SUCCEEDED);
            assertThat(e.duration()).isNotNull();
        });
        assertThat(world.allocator.used()).isEqualTo(new Resources(1, 256, 0));
    }

    @Test
    void hibernatesAndWakesWithMemoryIntact() throws Exception {
        Vm vm = world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API).await();
        VmWorld.count(vm);
        long before = VmWorld.count(vm);

        Vm asleep = world.lifecycle.hibernate("web-1", Reason.SCHEDULE).await();
        assertThat(asleep.state()).isEqualTo(VmState.HIBERNATED);
        assertThat(asleep.address()).isNull();
        assertThat(asleep.saved().version()).isEqualTo(1);
        assertThat(world.hypervisor.running()).isEmpty();
        assertThat(world.store.snapshotVersions().latest(vm.id())).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(1));
        assertThat(world.allocator.used()).isEqualTo(Resources.NONE);

        Vm awake = world.lifecycle.wake("web-1", Reason.DNS);
        assertThat(awake.state()).isEqualTo(VmState.RUNNING);
        assertThat(VmWorld.count(awake)).isEqualTo(before + 1);
        assertThat(world.store.vmEvents().listByVm(vm.id())).extracting(e -> e.fromState() + ">" + e.toState() + ":" + e.reason())
                .containsExactly("provisioning>running:api", "running>hibernated:schedule", "hibernated>running:dns");
        assertThat(world.fleet.get("web-1").wakeEstimate()).as("measured, no longer the default")
                .isLessThan(world.config.defaultWakeEstimate());
    }

    @Test
    void listenersHearOfARunningVmLeavingBeforeItsProcessIsTouched() throws Exception {
        world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API).await();
        world.lifecycle.create("web-2", world.definition(256, 5, "gold"), Reason.API).await();
        List<String> heard = new CopyOnWriteArrayList<>();
        world.lifecycle.addLeavingListener(name -> heard.add(name + ": " + world.fleet.get(name).state().label()
                + ", process " + (world.hypervisor.running().stream().anyMatch(m -> m.name().equals(name))
                ? "running" : "gone")));
        world.lifecycle.addLeavingListener(name -> {
            throw new IllegalStateException("a failing listener does not stop the move");
        });

        world.lifecycle.hibernate("web-1", Reason.API).await();
        world.lifecycle.stop("web-2", Reason.API).await();
        world.lifecycle.wake("web-1", Reason.DNS);
        world.lifecycle.start("web-2", Reason.API).await();
        assertThat(heard).as("once per leaving, none for a wake or start").containsExactly(
                "web-1: hibernating, process running", "web-2: stopping, process running");
    }

    @Test
    void keepsRoomReservedWhenThePolicySaysSo() throws Exception {
        VmDefinition d = world.definition(256, 5, "gold");
        VmDefinition reserved = new VmDefinition(d.vcpus(), d.memoryMib(), d.netMbps(), d.kernel(), d.initrd(), d.cmdline(),
                d.ports(), d.readinessPort(), d.readinessPath(), d.priority(), d.slaClass(), true, d.onUnhealthy());
        world.lifecycle.create("db-1", reserved, Reason.API).await();
        world.lifecycle.hibernate("db-1", Reason.API).await();
        assertThat(world.allocator.used()).isEqualTo(Resources.NONE);
        assertThat(world.allocator.reserved()).isEqualTo(new Resources(1, 256, 0));
        world.lifecycle.wake("db-1", Reason.API);
        assertThat(world.allocator.used()).isEqualTo(new Resources(1, 256, 0));
        assertThat(world.allocator.reserved()).isEqualTo(Resources.NONE);
    }

    @Test
    void restoresAGivenVersion() throws Exception {
        Vm vm = world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        long first = VmWorld.count(vm);
        world.lifecycle.hibernate("web-1", Reason.API).await();
        Vm again = world.lifecycle.wake("web-1", Reason.API);
        VmWorld.count(again);
        VmWorld.count(again);
        world.lifecycle.hibernate("web-1", Reason.API).await();

        Vm old = world.lifecycle.restore("web-1", OptionalLong.of(1), Reason.API).await();
        assertThat(old.saved().version()).isEqualTo(1);
        assertThat(VmWorld.count(old)).as("version 1 held the counter at " + first).isEqualTo(first + 1);
        assertThatThrownBy(() -> world.lifecycle.restore("web-1", OptionalLong.of(9), Reason.API))
                .isInstanceOf(VmException.class).hasMessageContaining("web-1 has no snapshot version 9");
    }

    @Test
    void refusesIllegalMovesAndChangesNothing() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        world.lifecycle.stop("web-1", Reason.API).await();
        Vm stopped = world.fleet.get("web-1");
        int events = world.store.vmEvents().listByVm(stopped.id()).size();

        assertThatThrownBy(() -> world.lifecycle.hibernate("web-1", Reason.API))
                .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.kind()).isEqualTo(VmException.Kind.ILLEGAL_TRANSITION))
                .hasMessageContaining("VM web-1 is stopped and cannot become hibernating");
        assertThatThrownBy(() -> world.lifecycle.wake("web-1", Reason.API))
                .isInstanceOf(VmException.class).hasMessageContaining("never hibernated");
        assertThat(world.fleet.get("web-1")).isEqualTo(stopped);
        assertThat(world.store.vms().find("web-1").orElseThrow().version()).isEqualTo(stopped.version());
        assertThat(world.store.vmEvents().listByVm(stopped.id())).hasSize(events);

        assertThatThrownBy(() -> world.lifecycle.stop("nobody", Reason.API))
                .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.kind()).isEqualTo(VmException.Kind.NOT_FOUND));
    }

    @Test
    void refusesDuplicatesAndVmsLargerThanAnyHostWithoutRecordingThem() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        assertThatThrownBy(() -> world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API))
                .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.kind()).isEqualTo(VmException.Kind.DUPLICATE));
        assertThatThrownBy(() -> world.lifecycle.create("huge", world.definition(4096, 0, "standard"), Reason.API))
                .isInstanceOfSatisfying(VmException.class, e -> assertThat(e.kind()).isEqualTo(VmException.Kind.OVER_CAPACITY))
                .hasMessageContaining("needs 1 vCPU, 4096 MiB");
        assertThatThrownBy(() -> world.lifecycle.create("Bad_Name", world.definition(128, 0, "standard"), Reason.API))
                .hasMessageContaining("got 'Bad_Name'");
        assertThat(world.store.vms().list()).extracting(r -> r.name()).containsExactly("web-1");
    }

    @Test
    void marksAVmWhoseProcessDiedAsFailedWithTheReason() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        world.hypervisor.crash(world.hypervisor.running().getFirst());
        // the fleet shows Failed as the transition begins; its entry completes a moment later, and the fleet
        // takes the row's new version just after that
        long id = world.fleet.get("web-1").id();
        for (int i = 0; i < 100 && (!(world.fleet.get("web-1").state() instanceof VmState.Failed)
                || world.store.vmEvents().listByVm(id).getLast().inFlight()
                || world.fleet.get("web-1").version() != world.store.vms().find("web-1").orElseThrow().version()); i++) {
            Thread.sleep(50);
        }
        assertThat(world.fleet.get("web-1").state()).isEqualTo(VmState.FAILED);
        VmEvent last = world.store.vmEvents().listByVm(id).getLast();
        assertThat(last.toState()).isEqualTo("failed");
        assertThat(last.reason()).isEqualTo("reconcile");
        assertThat(last.error()).contains("its process ended unexpectedly");
        assertThat(world.allocator.used()).isEqualTo(Resources.NONE);
        world.lifecycle.start("web-1", Reason.API).await();
        assertThat(world.fleet.get("web-1").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void terminatesOnlyVmsThatDoNotRun() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        assertThatThrownBy(() -> world.lifecycle.terminate("web-1", Reason.API)).isInstanceOf(VmException.class);
        world.lifecycle.hibernate("web-1", Reason.API).await();
        assertThat(world.lifecycle.terminate("web-1", Reason.API).await().state()).isEqualTo(VmState.TERMINATED);
        assertThat(world.store.vms().find("web-1").orElseThrow().state()).isEqualTo("terminated");
    }
}
