package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.Resources;
import io.dormouse.config.DormouseConfig;
import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.fake.FakeHypervisor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guaranteed VMs get their restore prepared after each hibernation, from the state their wake restores. */
class PreparedWakesTest {

    @TempDir
    Path dir;
    VmWorld world;
    Provisioning provisioning;

    @BeforeEach
    void open() {
        world = new VmWorld(dir, new Resources(4, 1024, 0), DormouseConfig.defaults().vm(), 64L << 20);
        provisioning = new Provisioning(world.fleet, world.hypervisor, world.config, world.cached);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aGuaranteedVmsWakeResumesThePreparedStateWithItsMemory() throws Exception {
        Vm vm = world.lifecycle.create("web-1", VmWorld.withPolicy(world.definition(256, 5, "gold"), "gold", true,
                "keep"), Reason.API).await();
        long saved = VmWorld.count(vm);
        world.lifecycle.hibernate("web-1", Reason.API).await();
        int unprepared = provisioning.adjust();
        List<FakeHypervisor.Prepare> prepares = awaitPrepares(1);
        assertThat(provisioning.adjust()).as("a prepared VM needs no pool process besides").isEqualTo(unprepared - 1);
        assertThat(prepares.getFirst().spec()).isEqualTo(MachineSpecs.of(world.fleet.get("web-1"),
                world.config.readyTimeout()));
        assertThat(world.cache.holds(vm.id(), 1)).as("version 1 materialized ahead").isTrue();

        provisioning.adjust();
        Thread.sleep(200);
        assertThat(world.hypervisor.prepares()).as("an unchanged version is prepared once").hasSize(1);

        Vm woken = world.lifecycle.wake("web-1", Reason.DNS);
        assertThat(machine("web-1").wakeSource()).as("the restore got exactly the prepared state")
                .contains("prepared");
        assertThat(world.hypervisor.preparedFor("web-1")).as("taken by the restore").isEmpty();
        assertThat(VmWorld.count(woken)).as("the counter continues").isEqualTo(saved + 1);

        world.lifecycle.hibernate("web-1", Reason.API).await();
        provisioning.adjust();
        prepares = awaitPrepares(2);
        assertThat(prepares.get(1).state()).as("the newer version is prepared").isNotEqualTo(prepares.get(0).state());
        assertThat(world.cache.holds(vm.id(), 2)).isTrue();

        world.lifecycle.terminate("web-1", Reason.API).await();
        assertThat(world.hypervisor.preparedFor("web-1")).as("nothing left of a terminated VM").isEmpty();
    }

    @Test
    void aRestoreOfAnotherStateDoesNotUseThePreparedOne() throws Exception {
        world.lifecycle.create("web-1", VmWorld.withPolicy(world.definition(256, 5, "gold"), "gold", true, "keep"),
                Reason.API).await();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        provisioning.adjust();
        awaitPrepares(1);
        world.lifecycle.restore("web-1", OptionalLong.empty(), Reason.API).await();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        world.lifecycle.restore("web-1", OptionalLong.of(1), Reason.API).await();
        assertThat(machine("web-1").wakeSource()).as("version 1 again, nothing prepared for it").contains("new");
    }

    @Test
    void onlyGuaranteedVmsArePrepared() throws Exception {
        VmDefinition standard = VmWorld.withPolicy(world.definition(256, 5, "standard"), "standard", true, "keep");
        world.lifecycle.create("standard", standard, Reason.API).await();
        world.lifecycle.create("loose", world.definition(256, 5, "gold"), Reason.API).await();
        world.lifecycle.hibernate("standard", Reason.API).await();
        world.lifecycle.hibernate("loose", Reason.API).await();
        provisioning.adjust();
        Thread.sleep(300);
        assertThat(world.hypervisor.prepares()).isEmpty();
        Vm woken = world.lifecycle.wake("loose", Reason.DNS);
        assertThat(machine(woken.name()).wakeSource()).contains("new");
    }

    private List<FakeHypervisor.Prepare> awaitPrepares(int count) throws InterruptedException {
        for (int i = 0; i < 100 && world.hypervisor.prepares().size() < count; i++) {
            Thread.sleep(50);
        }
        List<FakeHypervisor.Prepare> prepares = world.hypervisor.prepares();
        assertThat(prepares).hasSize(count);
        return prepares;
    }

    private Machine machine(String name) {
        Optional<Machine> m = world.hypervisor.running().stream().filter(x -> x.name().equals(name)).findFirst();
        assertThat(m).as("a machine named " + name).isPresent();
        return m.get();
    }
}
