package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.alloc.Resources;
import io.dormouse.config.DormouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restores through the restore cache on the fake hypervisor: hits, misses, drops and materializing ahead. */
class CachedVersionsTest {

    @TempDir
    Path dir;
    VmWorld world;

    @BeforeEach
    void open() {
        world = new VmWorld(dir, new Resources(4, 1024, 0), DormouseConfig.defaults().vm(), 64L << 20);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aSecondRestoreOfTheSameVersionIsAHitAndSeesTheSavedMemory() throws Exception {
        Vm vm = world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API).await();
        long saved = VmWorld.count(vm);
        world.lifecycle.hibernate("web-1", Reason.API).await();
        assertThat(world.cache.holds(vm.id(), 1)).isFalse();

        Vm first = world.lifecycle.wake("web-1", Reason.DNS);
        assertThat(world.cache.holds(vm.id(), 1)).isTrue();
        assertThat(restores("miss")).isEqualTo(1);
        assertThat(VmWorld.count(first)).isEqualTo(saved + 1);
        assertThat(VmWorld.count(first)).as("the first guest changes its memory").isEqualTo(saved + 2);
        assertThat(runFiles(vm.id())).as("nothing is materialized into the run directory").isEmpty();

        world.lifecycle.fail("web-1", Reason.API, "a test ends it");
        Vm second = world.lifecycle.restore("web-1", OptionalLong.of(1), Reason.API).await();
        assertThat(restores("hit")).isEqualTo(1);
        assertThat(VmWorld.count(second)).as("the cached version is as saved").isEqualTo(saved + 1);
        assertThat(heldBytes()).isEqualTo(world.cache.bytes()).isPositive();
    }

    @Test
    void aNewVersionOrTerminationDropsTheCachedOnes() throws Exception {
        Vm vm = world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API).await();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        world.lifecycle.wake("web-1", Reason.DNS);
        assertThat(world.cache.holds(vm.id(), 1)).isTrue();

        world.lifecycle.hibernate("web-1", Reason.API).await();
        assertThat(world.cache.holds(vm.id(), 1)).as("version 1 after version 2 was committed").isFalse();
        assertThat(world.cache.bytes()).isZero();
        assertThat(heldBytes()).isZero();

        world.lifecycle.wake("web-1", Reason.DNS);
        assertThat(restores("miss")).isEqualTo(2);
        assertThat(world.cache.holds(vm.id(), 2)).isTrue();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        world.lifecycle.terminate("web-1", Reason.API).await();
        assertThat(world.cache.bytes()).isZero();
        try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
            assertThat(left).as("files of the terminated VM in the cache").isEmpty();
        }
    }

    @Test
    void aVersionMaterializedAheadMakesTheWakeAHit() throws Exception {
        Vm vm = world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API).await();
        long saved = VmWorld.count(vm);
        world.lifecycle.hibernate("web-1", Reason.API).await();

        world.cached.ahead(vm.id(), 1);
        world.cached.ahead(vm.id(), 1);
        for (int i = 0; i < 500 && world.registry.get("dormouse.snapshot.cache.ahead").counter().count() < 1; i++) {
            Thread.sleep(10);
        }
        assertThat(world.cache.holds(vm.id(), 1)).isTrue();

        Vm awake = world.lifecycle.wake("web-1", Reason.SCHEDULE);
        assertThat(restores("hit")).isEqualTo(1);
        assertThat(restores("miss")).isZero();
        assertThat(VmWorld.count(awake)).isEqualTo(saved + 1);
        assertThat(world.registry.get("dormouse.snapshot.cache.ahead").counter().count())
                .as("the second request found the first queued or done").isEqualTo(1);
    }

    @Test
    void aRequestAheadOfAForgottenVersionLeavesItOut() throws Exception {
        Vm vm = world.lifecycle.create("web-1", world.definition(256, 5, "gold"), Reason.API).await();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        world.lifecycle.wake("web-1", Reason.DNS);
        world.lifecycle.hibernate("web-1", Reason.API).await();

        world.cached.ahead(vm.id(), 1); // stale: version 2 is the VM's last
        world.cached.forget(vm.id());
        world.cached.ahead(vm.id(), 2);
        for (int i = 0; i < 500 && !world.cache.holds(vm.id(), 2); i++) {
            Thread.sleep(10);
        }
        assertThat(world.cache.holds(vm.id(), 2)).isTrue();
        assertThat(world.cache.holds(vm.id(), 1)).isFalse();
    }

    private double restores(String outcome) {
        return world.registry.get("dormouse.snapshot.cache.restores").tag("outcome", outcome).counter().count();
    }

    private double heldBytes() {
        return world.registry.get("dormouse.snapshot.cache.held").gauge().value();
    }

    private Stream<Path> runFiles(long vm) throws Exception {
        Path vmDir = dir.resolve("vms").resolve(Long.toString(vm));
        return Files.exists(vmDir) ? Files.walk(vmDir).filter(Files::isRegularFile).toList().stream() : Stream.empty();
    }
}
