package io.dormouse.vm;

import io.dormouse.alloc.Allocator;
import io.dormouse.alloc.Host;
import io.dormouse.alloc.Resources;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.VmConfig;
import io.dormouse.hypervisor.fake.FakeHypervisor;
import io.dormouse.snapshot.RestoreCache;
import io.dormouse.snapshot.SnapshotSettings;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * A VM manager on a temporary directory: SQLite state, a file snapshot store, the fake hypervisor and
 * one host of the given capacity; restores read through a restore cache when it is given room.
 */
final class VmWorld implements AutoCloseable {

    final Path dir;
    final StateStore store;
    final Fleet fleet;
    final FakeHypervisor hypervisor;
    final SnapshotStore snapshots;
    final Allocator allocator;
    final Lifecycle lifecycle;
    final VmConfig config;
    final RestoreCache cache;
    /** The cache as restores see it; null without room for one. */
    final CachedVersions cached;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    VmWorld(Path dir, Resources hostCapacity) {
        this(dir, hostCapacity, DormouseConfig.defaults().vm());
    }

    VmWorld(Path dir, Resources hostCapacity, VmConfig config) {
        this(dir, hostCapacity, config, InstantSource.system(), 0);
    }

    /** @param clock the fleet's clock: idleness and the wake rate */
    VmWorld(Path dir, Resources hostCapacity, VmConfig config, InstantSource clock) {
        this(dir, hostCapacity, config, clock, 0);
    }

    /** @param cacheBytes room in the restore cache; 0: restores materialize straight from the store */
    VmWorld(Path dir, Resources hostCapacity, VmConfig config, long cacheBytes) {
        this(dir, hostCapacity, config, InstantSource.system(), cacheBytes);
    }

    VmWorld(Path dir, Resources hostCapacity, VmConfig config, InstantSource clock, long cacheBytes) {
        this.dir = dir;
        this.config = config;
        store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("state.db")));
        fleet = Fleet.load(store, config.defaultWakeEstimate(), clock);
        hypervisor = FakeHypervisor.create();
        snapshots = SnapshotStore.open(FileBlobStore.open(dir.resolve("blobs")),
                SnapshotSettings.defaults(dir), InstantSource.system());
        allocator = new Allocator(List.of(new Host("local", hostCapacity)), config.preemption(),
                vm -> fleet.idleFor(vm, config.preemptIdleAfter()), InstantSource.system());
        cache = RestoreCache.open(dir.resolve("cache"), cacheBytes);
        cached = cacheBytes == 0 ? null : new CachedVersions(cache, snapshots, RestoreCache.WakeHints.NONE, registry);
        lifecycle = new Lifecycle(store, fleet, hypervisor, snapshots,
                cached == null ? VersionFiles.direct(snapshots) : cached, allocator, VmMetrics.none(), config,
                dir.resolve("vms"));
    }

    /** A definition of the demo counter guest with these needs and rank. */
    VmDefinition definition(long memoryMib, int priority, String sla) throws IOException {
        Path kernel = dir.resolve("vmlinuz");
        if (!Files.exists(kernel)) {
            Files.writeString(kernel, "not a kernel: the fake hypervisor never reads it");
        }
        return new VmDefinition(1, memoryMib, 0, kernel.toString(), null, null, List.of(80), 0, "/healthz",
                priority, sla, false, "keep");
    }

    /** The same guest with another SLA class and reservation policy. */
    static VmDefinition withPolicy(VmDefinition d, String sla, boolean keepReserved, String onUnhealthy) {
        return new VmDefinition(d.vcpus(), d.memoryMib(), d.netMbps(), d.kernel(), d.initrd(), d.cmdline(), d.ports(),
                d.readinessPort(), d.readinessPath(), d.priority(), sla, keepReserved, onUnhealthy);
    }

    /** Asks the VM's counter for its next value. */
    static long count(Vm vm) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://" + vm.address().getHostAddress()
                    + ":80/cgi-bin/count")).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
            return Long.parseLong(body.substring(body.indexOf('=') + 1));
        }
    }

    @Override
    public void close() {
        if (cached != null) {
            cached.close();
        }
        hypervisor.close();
        store.close();
    }
}
