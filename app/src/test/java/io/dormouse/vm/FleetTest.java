package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.alloc.Resources;
import io.dormouse.state.NewVm;
import io.dormouse.state.VmRecord;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetTest {

    @TempDir
    Path dir;

    @Test
    void picksUpRowsOtherProcessesChangedByVersion() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            Vm mine = world.lifecycle.create("web-1", world.definition(128, 3, "gold"), Reason.API).await();
            VmRecord other = world.store.vms().insert(new NewVm("db-1", "hibernated", "{}", null, null, 7, "bronze"));
            assertThat(world.fleet.find("db-1")).as("not read until the next sync").isEmpty();

            world.fleet.sync();
            Vm db = world.fleet.get("db-1");
            assertThat(db.state()).isEqualTo(VmState.HIBERNATED);
            assertThat(db.definition()).as("a spec this version cannot read").isNull();
            assertThat(db.policy().priority()).isEqualTo(7);
            assertThat(db.policy().slaClass().label()).isEqualTo("bronze");
            assertThat(db.frontAddress().getHostAddress()).isEqualTo("127.2.0." + other.id());
            assertThat(db.wakeEstimate()).isEqualTo(Duration.ofSeconds(2));
            assertThat(world.fleet.get("web-1")).as("unchanged rows keep their value").isSameAs(mine);

            world.store.vms().updateState(other, "failed");
            world.fleet.sync();
            assertThat(world.fleet.get("db-1").state()).isEqualTo(VmState.FAILED);
            world.store.vms().delete(other.id());
            world.fleet.sync();
            assertThat(world.fleet.find("db-1")).isEmpty();
            assertThat(world.fleet.countByState()).containsEntry("running", 1L).containsEntry("hibernated", 0L);
            assertThatThrownBy(() -> world.fleet.get("db-1")).hasMessageContaining("no VM named db-1");
        }
    }

    @Test
    void newVmsGetFrontAddressesInTheConfiguredNetworkAndKeepThem() throws Exception {
        long id;
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            Vm vm = world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            id = vm.id();
            assertThat(vm.frontAddress().getHostAddress()).isEqualTo("127.2.0." + id);
            assertThat(world.store.vms().find("web-1").orElseThrow().frontAddress()).as("stored")
                    .isEqualTo("127.2.0." + id);

            Fleet moved = Fleet.load(world.store, Duration.ofSeconds(2), world.fleet::now, 203);
            assertThat(moved.get("web-1").frontAddress()).as("a VM keeps its stored address").isEqualTo(vm.frontAddress());
            assertThat(moved.frontAddress(258).getHostAddress()).as("a new VM's").isEqualTo("127.203.1.2");
        }
    }

    @Test
    void anOlderValueNeverReplacesANewerOne() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            Vm created = world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            Vm stopped = world.lifecycle.stop("web-1", Reason.API).await();
            world.fleet.put(created);
            assertThat(world.fleet.get("web-1")).isEqualTo(stopped);
        }
    }

    @Test
    void tracksActivityForIdleness() throws Exception {
        try (VmWorld world = new VmWorld(dir, new Resources(4, 1024, 0))) {
            assertThat(world.fleet.idleFor("web-1", Duration.ofMinutes(10))).isTrue();
            world.fleet.touch("web-1");
            assertThat(world.fleet.idleFor("web-1", Duration.ofMinutes(10))).isFalse();
            assertThat(world.fleet.idleFor("web-1", Duration.ZERO)).isTrue();
        }
    }
}
