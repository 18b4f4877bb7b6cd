package io.dormouse;

import io.dormouse.alloc.Allocator;
import io.dormouse.alloc.Host;
import io.dormouse.alloc.Resources;
import io.dormouse.config.ScheduleConfig;
import io.dormouse.config.VmConfig;
import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.fake.FakeHypervisor;
import io.dormouse.hypervisor.qemu.Acceleration;
import io.dormouse.hypervisor.qemu.QemuHypervisor;
import io.dormouse.hypervisor.qemu.QemuSettings;
import io.dormouse.schedule.Actions;
import io.dormouse.schedule.Connections;
import io.dormouse.schedule.HibernationScheduler;
import io.dormouse.schedule.SchedulePolicy;
import io.dormouse.schedule.Schedules;
import io.dormouse.snapshot.RestoreCache;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.state.HostRecord;
import io.dormouse.state.StateStore;
import io.dormouse.vm.CachedVersions;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Heartbeat;
import io.dormouse.vm.Lifecycle;
import io.dormouse.vm.Reason;
import io.dormouse.vm.Provisioning;
import io.dormouse.vm.Reconciler;
import io.dormouse.vm.ServerStop;
import io.dormouse.vm.VersionFiles;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmMetrics;
import io.dormouse.vm.VmState;
import io.dormouse.vm.WakeCoordinator;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM manager as the server runs it: the hypervisor, the fleet, allocation, the lifecycle, wakes,
 * the chores that keep them true (fleet sync, reconcile, heartbeat), and the scheduler's round.
 */
final class VmParts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmParts.class);
    /** A clean stop's time to save or stop the running VMs: below a service manager's usual 90 s. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    final Hypervisor hypervisor;
    final Fleet fleet;
    final Allocator allocator;
    final Lifecycle lifecycle;
    final WakeCoordinator wakes;
    final Reconciler reconciler;
    final Schedules schedules;
    private final ServerStop.Action onStop;
    private final List<Thread> chores = new ArrayList<>();
    /** Fits forecasters and tunes thresholds for the scheduler, one at a time, away from its round. */
    private final ScheduleConfig schedule;
    private final StateStore store;
    private final MeterRegistry registry;
    private final InstantSource clock;
    /** The restore cache, or null when {@code snapshot.cache.max-size} is 0. */
    private final CachedVersions cached;
    /** Gives the cache its wake hints once started. */
    private volatile HibernationScheduler scheduler;
    private final ExecutorService fitting = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("schedule-fit").daemon().factory());

    private VmParts(VmConfig config, ScheduleConfig schedule, int frontNetwork, StateStore store, SnapshotStore snapshots,
                    RestoreCache cache, HostRecord localHost, MeterRegistry registry, Path dataDir, Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
        InstantSource clock = InstantSource.system();
        fleet = Fleet.load(store, config.defaultWakeEstimate(), clock, frontNetwork);
        // the hypervisor runs machines here: this host is the one to place them on
        allocator = new Allocator(List.of(new Host(localHost.name(), new Resources(
                        (int) Math.floor(localHost.vcpus() * config.cpuOvercommit()), localHost.memoryMib(),
                        localHost.netMbps()))),
                config.preemption(), vm -> fleet.idleFor(vm, config.preemptIdleAfter()), clock);
        VmMetrics metrics = new VmMetrics(registry);
        metrics.watch(fleet, allocator);
        cached = cache.maxBytes() == 0 ? null : new CachedVersions(cache, snapshots, this::nextWake, registry);
        lifecycle = new Lifecycle(store, fleet, hypervisor, snapshots,
                cached == null ? VersionFiles.direct(snapshots) : cached, allocator, metrics, config,
                dataDir.resolve("saves"));
        wakes = new WakeCoordinator(fleet, lifecycle::wake, config.wakeWaiters());
        reconciler = new Reconciler(store, fleet, lifecycle);
        reconciler.atStartup();
        Provisioning provisioning = new Provisioning(fleet, hypervisor, config, cached);
        metrics.watch(provisioning);
        provisioning.adjust();
        onStop = ServerStop.Action.of(config.onStop());
        Heartbeat heartbeat = new Heartbeat(fleet, lifecycle, config.heartbeatMisses(), Duration.ofSeconds(1));
        chore("fleet-sync", config.fleetSync(), fleet::sync);
        chore("provisioning", config.fleetSync(), provisioning::adjust);
        chore("reconcile", config.reconcileInterval(), reconciler::periodic);
        chore("heartbeat", config.heartbeatInterval(), heartbeat::round);
        schedules = new Schedules(store, SchedulePolicy.DEFAULT);
        this.schedule = schedule;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Starts the scheduler's round, once the parts that tell it which VMs are in use (the TCP front door)
     * have started; until then nothing is hibernated on a forecast.
     */
    void startScheduler(Connections connections) {
        if (schedule.mode() != ScheduleConfig.Mode.OFF) {
            scheduler = new HibernationScheduler(schedule, fleet, store, schedules,
                    new LifecycleActions(lifecycle, wakes, this::materializeAhead), connections, this::freeRoom, registry,
                    clock, fitting);
            chore("schedule", schedule.interval(), scheduler::round);
        }
    }

    /** Room free on every host, summed: what proactive wakes may take. */
    private Resources freeRoom() {
        return allocator.hosts().stream().map(h -> allocator.free(h.name())).reduce(Resources.NONE, Resources::plus);
    }

    /** When the scheduler's forecast next expects the VM: the restore cache's eviction hint. */
    private Optional<Instant> nextWake(long vm) {
        HibernationScheduler s = scheduler;
        return s == null ? Optional.empty() : s.nextWake(vm);
    }

    /** Has the restore cache materialize a hibernated VM's last version in the background; returns at once. */
    private void materializeAhead(String name) {
        Optional<Vm> vm = fleet.find(name);
        if (cached != null && vm.isPresent() && vm.get().state() instanceof VmState.Hibernated
                && vm.get().saved() != null) {
            cached.ahead(vm.get().id(), vm.get().saved().version());
        }
    }

    /**
     * The scheduler's actions on the lifecycle; a wake that has to wait has its version materialized
     * into the restore cache meanwhile.
     */
    private record LifecycleActions(Lifecycle lifecycle, WakeCoordinator wakes, Consumer<String> ahead)
            implements Actions {
        @Override
        public void hibernate(String vm) {
            lifecycle.hibernate(vm, Reason.SCHEDULE);
        }

        @Override
        public CompletableFuture<?> wake(String vm) {
            return wakes.wake(vm, Reason.SCHEDULE);
        }

        @Override
        public void materializeAhead(String vm) {
            ahead.accept(vm);
        }
    }

    /** @param frontNetwork N of the front addresses' network 127.N.0.0/16 ({@code front.network}) */
    static VmParts start(VmConfig config, ScheduleConfig schedule, int frontNetwork, StateStore store,
                         SnapshotStore snapshots, RestoreCache cache, HostRecord localHost, MeterRegistry registry,
                         Path dataDir) {
        Hypervisor hypervisor = hypervisor(config, dataDir);
        try {
            return new VmParts(config, schedule, frontNetwork, store, snapshots, cache, localHost, registry, dataDir,
                    hypervisor);
        } catch (RuntimeException | Error e) {
            hypervisor.close();
            throw e;
        }
    }

    private static Hypervisor hypervisor(VmConfig config, Path dataDir) {
        if (config.hypervisor().equals("fake")) {
            return FakeHypervisor.create();
        }
        Orphans.end(dataDir);
        try {
            QemuSettings settings = QemuSettings.defaults(dataDir)
                    .withAcceleration(Acceleration.valueOf(config.accel().toUpperCase(Locale.ROOT)));
            // auto needs a kernel to probe KVM with; the demo guest's serves when it is built
            Path demoKernel = dataDir.resolve("images/demo/vmlinuz");
            return QemuHypervisor.create(Files.isRegularFile(demoKernel) ? settings.withProbeKernel(demoKernel) : settings);
        } catch (IOException e) {
            throw new UncheckedIOException("vm.hypervisor qemu: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing QEMU", e);
        }
    }

    /** Runs {@code work} every {@code every} on a thread of its own until these parts close. */
    void chore(String name, Duration every, Runnable work) {
        chores.add(Thread.ofVirtual().name(name).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(every);
                    work.run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.atWarn().setCause(e).log(name + " failed; it runs again in " + every);
                }
            }
        }));
    }

    @Override
    public void close() {
        chores.forEach(Thread::interrupt);
        ServerStop.run(fleet, lifecycle, onStop, STOP_TIMEOUT);
        fitting.shutdownNow();
        if (cached != null) {
            cached.close();
        }
        hypervisor.close();
    }
}
