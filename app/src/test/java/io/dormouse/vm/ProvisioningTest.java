package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.alloc.Resources;
import io.dormouse.config.ConfigException;
import io.dormouse.config.ConfigReader;
import io.dormouse.config.VmConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-started pool follows the recent wake rate and keeps processes for gold VMs with reserved room. */
class ProvisioningTest {

    private static final Resources HOST = new Resources(8, 4096, 0);

    @TempDir
    Path dir;

    static VmConfig config(Map<String, String> settings) {
        return ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), settings).vm();
    }

    @Test
    void theSizeIsWakesPerMinuteRoundedUpWithinItsBoundsPlusTheGuaranteedVms() {
        Duration tenMinutes = Duration.ofMinutes(10);
        assertThat(Provisioning.size(0, tenMinutes, 0, 0, 4)).as("no wakes").isZero();
        assertThat(Provisioning.size(1, tenMinutes, 0, 0, 4)).as("0.1 a minute rounds up").isEqualTo(1);
        assertThat(Provisioning.size(10, tenMinutes, 0, 0, 4)).as("exactly 1 a minute").isEqualTo(1);
        assertThat(Provisioning.size(25, tenMinutes, 0, 0, 4)).as("2.5 a minute").isEqualTo(3);
        assertThat(Provisioning.size(1000, tenMinutes, 0, 0, 4)).as("bounded by pool-max").isEqualTo(4);
        assertThat(Provisioning.size(0, tenMinutes, 0, 2, 4)).as("at least pool-min").isEqualTo(2);
        assertThat(Provisioning.size(25, tenMinutes, 2, 0, 4)).as("plus one per guaranteed VM").isEqualTo(5);
        assertThat(Provisioning.size(1000, tenMinutes, 100, 0, 4)).as("never above the ceiling")
                .isEqualTo(Provisioning.CEILING);
    }

    @Test
    void thePoolFollowsTheWakeRateOfTheWindowAndForgetsOlderWakes() throws Exception {
        TestClock clock = new TestClock();
        VmConfig config = config(Map.of("vm.pool-min", "0", "vm.pool-max", "3", "vm.wake-rate-window", "2m"));
        try (VmWorld world = new VmWorld(dir, HOST, config, clock)) {
            Provisioning provisioning = new Provisioning(world.fleet, world.hypervisor, config);
            world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
            assertThat(provisioning.adjust()).as("nothing woke yet").isZero();

            for (int i = 0; i < 5; i++) {
                world.lifecycle.hibernate("web-1", Reason.API).await();
                world.lifecycle.wake("web-1", Reason.DNS);
                clock.advance(Duration.ofSeconds(10));
            }
            assertThat(provisioning.wakeRate()).as("5 wakes in 2 minutes").isEqualTo(2.5);
            assertThat(provisioning.adjust()).as("2.5 a minute, rounded up").isEqualTo(3);
            assertThat(world.hypervisor.pooled()).isEqualTo(3);

            clock.advance(Duration.ofSeconds(100));
            assertThat(provisioning.adjust()).as("only the last two wakes are in the window").isEqualTo(1);
            clock.advance(Duration.ofMinutes(2));
            assertThat(provisioning.adjust()).as("the window is empty").isZero();
            assertThat(world.hypervisor.pooled()).isZero();
        }
    }

    @Test
    void hibernatedGoldVmsWithReservedRoomKeepAPoolProcessEach() throws Exception {
        VmConfig config = config(Map.of("vm.pool-max", "2"));
        try (VmWorld world = new VmWorld(dir, HOST, config)) {
            Provisioning provisioning = new Provisioning(world.fleet, world.hypervisor, config);
            VmDefinition plain = world.definition(128, 0, "standard");
            world.lifecycle.create("gold-1", VmWorld.withPolicy(plain, "gold", true, "keep"), Reason.API).await();
            world.lifecycle.create("gold-free", VmWorld.withPolicy(plain, "gold", false, "keep"), Reason.API).await();
            world.lifecycle.create("std-kept", VmWorld.withPolicy(plain, "standard", true, "keep"), Reason.API).await();
            assertThat(provisioning.adjust()).as("all run").isZero();

            for (String vm : new String[] {"gold-1", "gold-free", "std-kept"}) {
                world.lifecycle.hibernate(vm, Reason.API).await();
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            VmMetrics metrics = new VmMetrics(registry);
            metrics.watch(world.fleet, world.allocator);
            metrics.watch(provisioning);
            assertThat(provisioning.adjust()).as("only gold-1 is gold and keeps its room").isEqualTo(1);
            assertThat(provisioning.guaranteed()).isEqualTo(1);
            assertThat(world.hypervisor.warmed()).containsExactly("gold-1");
            assertThat(registry.get("dormouse.pool.size").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("dormouse.pool.guaranteed").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("dormouse.capacity.memory").tag("use", "reserved").gauge().value())
                    .as("room kept for gold-1 and std-kept").isEqualTo(2 * 128 * 1024.0 * 1024.0);
        }
    }

    @Test
    void reservedRoomIsRebuiltFromPoliciesAndStatesAfterARestart() throws Exception {
        try (VmWorld world = new VmWorld(dir, HOST)) {
            VmDefinition plain = world.definition(256, 0, "standard");
            world.lifecycle.create("kept", VmWorld.withPolicy(plain, "gold", true, "keep"), Reason.API).await();
            world.lifecycle.create("free", plain, Reason.API).await();
            world.lifecycle.hibernate("kept", Reason.API).await();
            world.lifecycle.hibernate("free", Reason.API).await();
            assertThat(world.allocator.reserved()).isEqualTo(new Resources(1, 256, 0));
        }
        try (VmWorld restarted = new VmWorld(dir, HOST)) {
            assertThat(restarted.allocator.reserved()).as("a new allocator starts empty").isEqualTo(Resources.NONE);
            Reconciler.Report report = new Reconciler(restarted.store, restarted.fleet, restarted.lifecycle).atStartup();

            assertThat(report.actions()).singleElement().asString().startsWith("kept: room kept reserved");
            assertThat(restarted.allocator.reserved()).isEqualTo(new Resources(1, 256, 0));
            assertThat(restarted.fleet.get("kept").host()).isEqualTo("local");
            assertThat(restarted.fleet.get("free").host()).isNull();
            restarted.lifecycle.wake("kept", Reason.DNS);
            assertThat(restarted.allocator.reserved()).as("awake, the room is in use").isEqualTo(Resources.NONE);
            assertThat(restarted.allocator.used()).isEqualTo(new Resources(1, 256, 0));
        }
    }

    @Test
    void poolSettingsAreCheckedNamingTheKey() {
        assertThatThrownBy(() -> config(Map.of("vm.pool-min", "5", "vm.pool-max", "2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("vm.pool-max")
                .hasMessageContaining("pool-min (5) to 64");
        assertThatThrownBy(() -> config(Map.of("vm.pool-min", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("vm.pool-min");
        assertThatThrownBy(() -> config(Map.of("vm.wake-rate-window", "30s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("vm.wake-rate-window")
                .hasMessageContaining("1m to 1d");
        assertThatThrownBy(() -> config(Map.of("vm.on-stop", "pause")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("vm.on-stop")
                .hasMessageContaining("hibernate").hasMessageContaining("leave");
    }
}
