package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.Resources;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.snapshot.Version;
import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.VmEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restarted server finds: transitions left open and running VMs whose process is gone. */
class ReconcilerTest {

    @TempDir
    Path dir;

    private static final Resources HOST = new Resources(8, 4096, 0);

    @Test
    void rollsBackAnInterruptedHibernationToTheLastCommittedVersion() throws Exception {
        long id;
        try (VmWorld world = new VmWorld(dir, HOST)) {
            world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            world.lifecycle.hibernate("web-1", Reason.API).await();
            Vm vm = world.lifecycle.wake("web-1", Reason.API);
            id = vm.id();
            // the server dies after recording the next hibernation and before saving anything
            world.lifecycle.journal().begin(vm, VmState.HIBERNATING, VmState.HIBERNATED, Reason.SCHEDULE);
        }
        try (VmWorld restarted = new VmWorld(dir, HOST)) {
            assertThat(restarted.fleet.get("web-1").state()).isEqualTo(VmState.HIBERNATING);
            Reconciler.Report report = new Reconciler(restarted.store, restarted.fleet, restarted.lifecycle).atStartup();

            assertThat(report.actions()).singleElement().asString().contains("web-1").contains("hibernated at version 1");
            assertThat(restarted.fleet.get("web-1").state()).isEqualTo(VmState.HIBERNATED);
            assertThat(restarted.store.vmEvents().listOpen()).isEmpty();
            VmEvent last = restarted.store.vmEvents().listByVm(id).getLast();
            assertThat(last.outcome()).isEqualTo(VmEvent.Outcome.ROLLED_BACK);
            assertThat(last.error()).contains("back to version 1");
            Vm woken = restarted.lifecycle.wake("web-1", Reason.DNS);
            assertThat(VmWorld.count(woken)).as("version 1 was saved after one count").isEqualTo(1);
        }
    }

    @Test
    void finishesAHibernationWhoseVersionWasCommitted() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            Vm vm = world.fleet.get("web-1");
            // the hibernation's side effects as Lifecycle runs them, then the server dies before the VM's row moves
            world.lifecycle.journal().begin(vm, VmState.HIBERNATING, VmState.HIBERNATED, Reason.SCHEDULE);
            SavedState state = world.hypervisor.hibernate(world.hypervisor.running().getFirst(), dir.resolve("save"));
            Version v = world.snapshots.commit(vm.id(), state, OptionalLong.empty());
            world.store.snapshotVersions().add(new SnapshotVersion(vm.id(), v.number(), v.parent(), v.manifestKey(),
                    v.createdAt(), v.totalBytes(), v.newBytes(), v.qemuVersion(), v.machineFingerprint()));
        }
        try (VmWorld restarted = new VmWorld(dir, HOST)) {
            List<String> actions = new Reconciler(restarted.store, restarted.fleet, restarted.lifecycle).atStartup().actions();
            assertThat(actions).singleElement().asString().contains("hibernation had committed version 1");
            Vm vm = restarted.fleet.get("web-1");
            assertThat(vm.state()).isEqualTo(VmState.HIBERNATED);
            assertThat(restarted.store.vmEvents().listByVm(vm.id()).getLast().outcome()).isEqualTo(VmEvent.Outcome.SUCCEEDED);
            assertThat(restarted.store.vmEvents().listOpen()).isEmpty();
        }
    }

    @Test
    void settlesInterruptedRestoresStartsAndOrphanedRunningVms() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            world.lifecycle.create("saved", world.definition(128, 0, "standard"), Reason.API).await();
            world.lifecycle.hibernate("saved", Reason.API).await();
            Vm saved = world.fleet.get("saved");
            world.lifecycle.journal().begin(saved, VmState.RESTORING, VmState.RUNNING, Reason.DNS);

            world.lifecycle.create("never-saved", world.definition(128, 0, "standard"), Reason.API).await();
            world.lifecycle.create("saved-once", world.definition(128, 0, "standard"), Reason.API).await();
            world.lifecycle.hibernate("saved-once", Reason.API).await();
            world.lifecycle.wake("saved-once", Reason.API);
            world.lifecycle.journal().begin(world.fleet.get("never-saved"), VmState.STOPPING, VmState.STOPPED, Reason.API);
        }
        try (VmWorld restarted = new VmWorld(dir, HOST)) {
            new Reconciler(restarted.store, restarted.fleet, restarted.lifecycle).atStartup();
            assertThat(restarted.fleet.get("saved").state()).as("restore rolled back").isEqualTo(VmState.HIBERNATED);
            assertThat(restarted.fleet.get("never-saved").state()).as("stop finished").isEqualTo(VmState.STOPPED);
            assertThat(restarted.fleet.get("saved-once").state()).as("process gone, version kept")
                    .isEqualTo(VmState.HIBERNATED);
            assertThat(restarted.store.vmEvents().listOpen()).isEmpty();
            assertThat(restarted.fleet.list()).noneMatch(vm -> vm.state().inTransition());
        }
    }

    private static List<String> events(VmWorld world, String vm) {
        return world.store.vmEvents().listByVm(world.fleet.get(vm).id()).stream()
                .map(e -> e.fromState() + ":" + e.toState() + ":" + e.reason() + ":" + e.outcome()).toList();
    }

    @Test
    void bootsAfreshARunningVmWithoutAProcessOrVersion() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            Vm vm = world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            VmWorld.count(vm);
            world.lifecycle.create("new-1", world.definition(128, 0, "standard"), Reason.API).await();
            // the server dies during new-1's first hibernation, before any version was committed
            world.lifecycle.journal().begin(world.fleet.get("new-1"), VmState.HIBERNATING, VmState.HIBERNATED,
                    Reason.SCHEDULE);
        }
        try (VmWorld restarted = new VmWorld(dir, HOST)) {
            List<String> actions = new Reconciler(restarted.store, restarted.fleet, restarted.lifecycle).atStartup()
                    .actions();
            assertThat(actions).anySatisfy(a -> assertThat(a).startsWith("web-1: its process is gone")
                    .endsWith("failed, booting it afresh"));
            assertThat(actions).anySatisfy(a -> assertThat(a).startsWith("new-1: its hibernation was interrupted")
                    .endsWith("failed, booting it afresh"));
            for (String name : List.of("web-1", "new-1")) {
                for (int i = 0; i < 200 && !(restarted.fleet.get(name).state() instanceof VmState.Running); i++) {
                    Thread.sleep(25);
                }
                assertThat(restarted.fleet.get(name).state()).as(name).isEqualTo(VmState.RUNNING);
            }
            assertThat(events(restarted, "web-1")).endsWith("running:failed:reconcile:FAILED",
                    "failed:running:reconcile:SUCCEEDED");
            assertThat(events(restarted, "new-1")).as("the interrupted hibernation failed, then a boot")
                    .endsWith("running:hibernated:schedule:FAILED", "failed:running:reconcile:SUCCEEDED");
            assertThat(VmWorld.count(restarted.fleet.get("web-1"))).as("no version: the counter starts over").isEqualTo(1);
            assertThat(restarted.store.vmEvents().listOpen()).isEmpty();
        }
    }
}
