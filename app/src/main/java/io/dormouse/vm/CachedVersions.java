package io.dormouse.vm;

import io.dormouse.hypervisor.SavedState;
import io.dormouse.snapshot.Progress;
import io.dormouse.snapshot.RestoreCache;
import io.dormouse.snapshot.SnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores read through the {@link RestoreCache}, and versions are materialized into it ahead of expected
 * wakes, one at a time on a thread of its own. Eviction follows the given wake hints, except that the
 * files of a restore under way are the last to go.
 */
public final class CachedVersions implements VersionFiles, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CachedVersions.class);

    private record Wanted(long version, long generation, Consumer<SavedState> then) {
    }

    private final RestoreCache cache;
    private final SnapshotStore store;
    private final RestoreCache.WakeHints hints;
    private final Set<Long> restoring = ConcurrentHashMap.newKeySet();
    /** The version each VM waiting for a materialization ahead wants, and its generation when asked. */
    private final Map<Long, Wanted> wanted = new ConcurrentHashMap<>();
    /** Bumped by {@link #forget}, so that a materialization queued before it does not bring a stale version back. */
    private final Map<Long, Long> generations = new ConcurrentHashMap<>();
    /** Read by the gauge: the cache's own count waits for a materialization under way. */
    private final AtomicLong bytes = new AtomicLong();
    private final Counter hits;
    private final Counter misses;
    private final Counter aheads;
    private final ExecutorService ahead = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("cache-ahead").daemon().factory());

    /** @param hints when each VM is next expected to wake (the scheduler's forecast) */
    public CachedVersions(RestoreCache cache, SnapshotStore store, RestoreCache.WakeHints hints,
                          MeterRegistry registry) {
        this.cache = cache;
        this.store = store;
        this.hints = vm -> restoring.contains(vm) ? Optional.of(Instant.MIN) : hints.nextWake(vm);
        this.hits = Counter.builder("dormouse.snapshot.cache.restores").tag("outcome", "hit")
                .description("restores by whether their version was in the local cache").register(registry);
        this.misses = Counter.builder("dormouse.snapshot.cache.restores").tag("outcome", "miss")
                .description("restores by whether their version was in the local cache").register(registry);
        this.aheads = Counter.builder("dormouse.snapshot.cache.ahead")
                .description("versions materialized into the local cache ahead of a wake").register(registry);
        Gauge.builder("dormouse.snapshot.cache.held", bytes, AtomicLong::get).baseUnit("bytes")
                .description("bytes of materialized versions in the local cache").register(registry);
    }

    @Override
    public SavedState materialize(long vm, long version, Path runDir) {
        restoring.add(vm);
        try {
            (cache.holds(vm, version) ? hits : misses).increment();
            SavedState state = cache.materialize(store, vm, version, hints, Progress.NONE);
            bytes.set(cache.bytes());
            return state;
        } catch (RuntimeException e) {
            restoring.remove(vm);
            throw e;
        }
    }

    @Override
    public void released(long vm) {
        restoring.remove(vm);
    }

    @Override
    public void forget(long vm) {
        generations.merge(vm, 1L, Long::sum);
        cache.drop(vm);
        bytes.set(cache.bytes());
    }

    /**
     * Materializes the version in the background unless it is held already; returns at once. Requests
     * for one VM while it waits for its turn replace each other; a {@link #forget} of the VM after a request
     * cancels it.
     */
    public void ahead(long vm, long version) {
        ahead(vm, version, state -> { });
    }

    /**
     * As {@link #ahead(long, long)}, then hands {@code then} (on the cache's thread) the state a restore of the
     * version will get from the cache, also when the version was held already; not when the request was
     * replaced, cancelled or failed.
     */
    public void ahead(long vm, long version, Consumer<SavedState> then) {
        Wanted want = new Wanted(version, generation(vm), then);
        // a request waiting already is replaced (by a copy, so that it tells from a new one), and one for the
        // same version keeps its follow-up too; its task then takes the replacement
        if (wanted.merge(vm, want, (old, now) -> new Wanted(version, now.generation(),
                old.version() == version && old.generation() == now.generation() ? old.then().andThen(then) : then))
                != want) {
            return;
        }
        try {
            ahead.execute(() -> materializeAhead(vm));
        } catch (RejectedExecutionException e) {
            wanted.remove(vm);
        }
    }

    private void materializeAhead(long vm) {
        Wanted want = wanted.remove(vm);
        if (want == null || want.generation() != generation(vm)) {
            return;
        }
        try {
            boolean held = cache.holds(vm, want.version());
            SavedState state = cache.materialize(store, vm, want.version(), hints, Progress.NONE);
            if (!held) {
                aheads.increment();
            }
            if (want.generation() != generation(vm)) {
                cache.drop(vm); // forgotten while it was being materialized
                bytes.set(cache.bytes());
                return;
            }
            bytes.set(cache.bytes());
            want.then().accept(state);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("vm", vm).addKeyValue("version", want.version()).setCause(e)
                    .log("materializing ahead of a wake failed; the wake will fetch the version itself");
        }
    }

    private long generation(long vm) {
        return generations.getOrDefault(vm, 0L);
    }

    @Override
    public void close() {
        ahead.shutdownNow();
    }
}
