package io.dormouse.front;

import io.dormouse.telemetry.Activity;
import io.dormouse.telemetry.ActivitySource;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.WakeCoordinator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
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

    private final FrontSettings settings;
    private final Backends backends;
    private final Meters meters;
    private final InstantSource clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Target.Readiness> seen = new HashMap<>();
    /** VM names by id, as of the last sync: telemetry asks by id. */
    private volatile Map<Long, String> namesById = Map.of();
    private final Gate gate;
    private final Listeners listeners;
    private final Thread syncing;

    private FrontDoor(FrontSettings settings, Backends backends, MeterRegistry registry, InstantSource clock) {
        this.settings = settings;
        this.backends = backends;
        this.clock = clock;
        this.meters = new Meters(clock, registry, settings.minAwake());
        this.gate = new Gate(settings, backends, meters, this::bucket, registry);
        this.listeners = new Listeners(gate);
        Gauge.builder("dormouse.front.buffers.large", SpliceLoop::largeInUse)
                .description("1 MiB buffers of bulk transfers in use, all VMs together").register(registry);
        sync();
        syncing = Thread.ofVirtual().name("front-sync").start(this::syncLoop);
    }

    /** Starts the front door for the fleet's VMs, waking them through {@code wakes}. */
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
    }

    /** Brings the listeners in line with the fleet and notes VMs that came up since the last sync. */
    public synchronized void sync() {
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
        listeners.close();
    }
}
