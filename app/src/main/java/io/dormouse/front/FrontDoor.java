package io.dormouse.front;

import io.dormouse.config.FrontConfig;
import io.dormouse.telemetry.Activity;
import io.dormouse.telemetry.ActivitySource;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.WakeCoordinator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP front door: listens on every VM's front address and declared ports, splices connections to
 * running VMs, wakes sleeping ones and holds their connections meanwhile, meters demand
 * ({@link #traffic()}, and as the telemetry sampler's {@link ActivitySource}) and limits each VM's bandwidth
 * ({@link #limit}). Follows the fleet: {@link #sync()} runs every {@code syncEvery}, and may be called after a
 * change to take it at once.
 */
public final class FrontDoor implements ActivitySource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
    private static final long KERNEL_FRESH_NANOS = 100_000_000L;

    private final FrontSettings settings;
    private final Backends backends;
    private final Meters meters;
    private final InstantSource clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Target.Readiness> seen = new HashMap<>();
    /** VM names by id, as of the last sync: telemetry asks by id. */
    private volatile Map<Long, String> namesById = Map.of();
    /** Routes running VMs' new connections past the front door; null when it splices them all. */
    private final KernelRoutes kernel;
    private final Object kernelReading = new Object();
    /** When the kernel's counts were last read ({@link System#nanoTime}); they are read at most every 100 ms. */
    private long kernelReadAt = System.nanoTime() - KERNEL_FRESH_NANOS;
    private final Gate gate;
    private final Listeners listeners;
    private final Thread syncing;

    private FrontDoor(FrontSettings settings, Backends backends, MeterRegistry registry, InstantSource clock) {
        this.settings = settings;
        this.backends = backends;
        this.clock = clock;
        this.kernel = settings.enabled() ? openKernel(settings.routing()) : null;
        this.meters = new Meters(clock, registry, settings.minAwake(), this::readKernel);
        this.gate = new Gate(settings, backends, meters, this::bucket, registry);
        this.listeners = new Listeners(gate);
        Gauge.builder("dormouse.front.buffers.large", SpliceLoop::largeInUse)
                .description("1 MiB buffers of bulk transfers in use, all VMs together").register(registry);
        sync(false);
        syncing = Thread.ofVirtual().name("front-sync").start(this::syncLoop);
    }

    /**
     * Starts the front door for the fleet's VMs, waking them through {@code wakes}. The kernel routes their
     * connections from the first {@link #sync()} on (the sync loop's, or the caller's once it has set the VMs'
     * bandwidth limits, which must not be routed past).
     */
    public static FrontDoor start(FrontSettings settings, Fleet fleet, WakeCoordinator wakes, MeterRegistry registry,
                                  InstantSource clock) {
        return start(settings, new FleetBackends(fleet, wakes), registry, clock);
    }

    static FrontDoor start(FrontSettings settings, Backends backends, MeterRegistry registry, InstantSource clock) {
        return new FrontDoor(settings, backends, registry, clock);
    }

    /** Each VM's demand as the front door saw it: for the telemetry sampler and the scheduler. */
    public Traffic traffic() {
        return meters;
    }

    /**
     * The VM's totals for the telemetry sampler: {@link Activity#NONE} before its first connection, empty
     * when the front door is off or does not serve the VM (no front address).
     */
    @Override
    public Optional<Activity> activity(long vmId) {
        String vm = namesById.get(vmId);
        if (!settings.enabled() || vm == null) {
            return Optional.empty();
        }
        Traffic.Counts c = meters.counts(vm);
        return Optional.of(c == null ? Activity.NONE : new Activity(c.opened(), c.bytesIn(), c.bytesOut()));
    }

    /** The VM's bandwidth limit at the front door, bytes per second; 0 = unlimited. */
    public long bandwidth(String vm) {
        TokenBucket bucket = buckets.get(vm);
        return bucket == null ? 0 : bucket.rate();
    }

    /**
     * Sets the VM's bandwidth limit, both directions of all its connections together; takes effect on
     * connections already open. Kept in memory here; the API stores it, and the server sets it again at start.
     *
     * @param bytesPerSecond 0 (unlimited) or more
     */
    public void limit(String vm, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be 0 (unlimited) or more, got " + bytesPerSecond);
        }
        bucket(vm).rate(bytesPerSecond);
        if (bytesPerSecond > 0) {
            withdraw(vm); // only spliced connections can be limited here
        }
    }

    /** Brings the listeners and the kernel's routes in line with the fleet and notes VMs that came up since. */
    public void sync() {
        sync(true);
    }

    private synchronized void sync(boolean routing) {
        List<Target> targets = backends.targets();
        Set<String> names = targets.stream().map(Target::vm).collect(Collectors.toSet());
        namesById = targets.stream().collect(Collectors.toUnmodifiableMap(Target::id, Target::vm, (a, b) -> a));
        for (Target t : targets) {
            Target.Readiness before = seen.put(t.vm(), t.readiness());
            if (t.readiness() == Target.Readiness.UP && before != null && before != Target.Readiness.UP) {
                meters.of(t.vm()).woke();
            }
        }
        seen.keySet().retainAll(names);
        buckets.keySet().retainAll(names);
        meters.retain(names);
        gate.retain(names);
        if (settings.enabled()) {
            listeners.sync(targets);
            if (routing) {
                route(targets);
            }
        }
    }

    /**
     * Stops the kernel routing new connections straight to {@code vm}, at once: they reach the front door,
     * which holds them while the VM sleeps. Called before a running VM is paused or stopped.
     */
    public synchronized void withdraw(String vm) {
        if (kernel == null) {
            return;
        }
        backends.find(vm).ifPresent(t -> {
            try {
                kernel.withdraw(t.front());
            } catch (IOException e) {
                LOG.atWarn().addKeyValue("vm", vm).log("cannot withdraw the kernel's routes of VM " + vm + ": "
                        + e.getMessage() + "; its new connections may be refused until it runs again");
            }
        });
    }

    /** The VMs whose new connections the kernel routes now, as {@code front:port} by VM; empty when it does none. */
    public Map<String, List<String>> routed() {
        if (kernel == null) {
            return Map.of();
        }
        Map<Inet4Address, String> byFront = new HashMap<>();
        backends.targets().forEach(t -> byFront.put(t.front(), t.vm()));
        return kernel.routes().stream().filter(r -> byFront.containsKey(r.front())).collect(Collectors.groupingBy(
                r -> byFront.get(r.front()), Collectors.mapping(r -> r.front().getHostAddress() + ":" + r.port(),
                        Collectors.toList())));
    }

    /** Routes the running VMs' ports, save excluded ones and VMs with a bandwidth limit (the front door limits). */
    private void route(List<Target> targets) {
        if (kernel == null) {
            return;
        }
        List<KernelRoutes.Route> routes = new ArrayList<>();
        for (Target t : targets) {
            if (t.readiness() == Target.Readiness.UP && bandwidth(t.vm()) == 0) {
                t.ports().stream().filter(port -> !settings.excludePorts().contains(port))
                        .forEach(port -> routes.add(new KernelRoutes.Route(t.front(), port, t.address())));
            }
        }
        try {
            kernel.apply(routes, targets.stream().map(Target::front).distinct().toList());
        } catch (IOException e) {
            LOG.atWarn().log("cannot update the kernel's routes: " + e.getMessage() + "; retrying at the next sync");
        }
    }

    /** Hands the kernel's counts of routed connections to the VMs' meters, unless read in the last 100 ms. */
    private void readKernel() {
        if (kernel == null) {
            return;
        }
        // a lock of its own: reading (two commands) does not hold up a withdraw, which takes the routes' lock
        synchronized (kernelReading) {
            long now = System.nanoTime();
            if (now - kernelReadAt < KERNEL_FRESH_NANOS) {
                return;
            }
            kernelReadAt = now;
            Map<Inet4Address, KernelRoutes.Totals> totals;
            try {
                totals = kernel.totals();
            } catch (IOException | RuntimeException e) {
                LOG.atWarn().log("cannot read the kernel's counts of routed connections: " + e.getMessage());
                return;
            }
            // handed over under the lock, so that an older reading never follows a newer one
            for (Target t : backends.targets()) {
                KernelRoutes.Totals routed = totals.get(t.front());
                if (routed != null && meters.of(t.vm()).routed(routed)) {
                    backends.touch(t.vm());
                }
            }
        }
    }

    private static KernelRoutes openKernel(FrontSettings.Routing routing) {
        if (routing.mode() == FrontConfig.KernelRouting.OFF) {
            return null;
        }
        try {
            KernelRoutes routes = KernelRoutes.open(routing.table(), routing.excludedNetworks());
            LOG.atInfo().addKeyValue("table", routing.table())
                    .log("the kernel routes running VMs' new connections (nftables table ip " + routing.table() + ")");
            return routes;
        } catch (IOException e) {
            if (routing.mode() == FrontConfig.KernelRouting.ON) {
                throw new IllegalStateException("front.kernel-routing is on, but " + e.getMessage() + ": run the"
                        + " server as root (or with CAP_NET_ADMIN), or set front.kernel-routing to auto or off", e);
            }
            LOG.atInfo().log("the front door splices every connection itself (front.kernel-routing auto: "
                    + e.getMessage() + ")");
            return null;
        }
    }

    /** The addresses listened on now, as {@code address:port} by VM. */
    Map<String, List<String>> listening() {
        return listeners.keys().stream().collect(Collectors.groupingBy(Listeners.Key::vm,
                Collectors.mapping(k -> k.front().getHostAddress() + ":" + k.port(), Collectors.toList())));
    }

    private TokenBucket bucket(String vm) {
        return buckets.computeIfAbsent(vm, name -> new TokenBucket(clock));
    }

    private void syncLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(settings.syncEvery());
                sync();
                readKernel(); // routed connections are demand too, read or not
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("front door sync failed; it runs again in " + settings.syncEvery());
            }
        }
    }

    @Override
    public void close() {
        syncing.interrupt();
        if (kernel != null) {
            try {
                kernel.close();
            } catch (IOException e) {
                LOG.atWarn().log("cannot delete the kernel's routes: " + e.getMessage());
            }
        }
        listeners.close();
    }
}
