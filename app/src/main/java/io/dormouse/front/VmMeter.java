package io.dormouse.front;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One VM's demand counters, written by its connections and read by {@link Meters} and Micrometer.
 * Adders, not locks: every chunk a splice moves is counted. The kernel's totals of the connections it
 * routed are added on reading.
 */
final class VmMeter {

    private static final long NEVER = Long.MIN_VALUE;

    private final InstantSource clock;
    private final LongAdder opened = new LongAdder();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private volatile long lastDemand = NEVER;
    private volatile long lastWake = NEVER;
    /** What the kernel routed past the front door for this VM (see {@link KernelRoutes}). */
    private volatile KernelRoutes.Totals routed = KernelRoutes.Totals.NONE;
    /** The kernel's last totals as read, and what its counters held before they last started again. */
    private KernelRoutes.Totals lastRouted = KernelRoutes.Totals.NONE;
    private KernelRoutes.Totals routedBefore = KernelRoutes.Totals.NONE;
    private final Runnable refresh;
    private final List<Meter> meters;

    /** {@code refresh} brings the kernel's counts up to date before a meter is read. */
    VmMeter(String vm, InstantSource clock, MeterRegistry registry, Runnable refresh) {
        this.clock = clock;
        this.refresh = refresh;
        meters = List.of(
                FunctionCounter.builder("dormouse.front.connections", this, m -> m.fresh().opened())
                        .description("connections accepted at the VM's front address, or routed by the kernel")
                        .tag("vm", vm).register(registry),
                Gauge.builder("dormouse.front.connections.active", this, m -> m.fresh().active())
                        .description("connections open at the VM's front address, held and routed ones included")
                        .tag("vm", vm).register(registry),
                Gauge.builder("dormouse.front.connections.held", held, AtomicInteger::get)
                        .description("connections waiting for the VM to wake").tag("vm", vm).register(registry),
                FunctionCounter.builder("dormouse.front.bytes", this, m -> m.fresh().bytesIn()).baseUnit("bytes")
                        .description("bytes through the front door").tag("vm", vm).tag("direction", "in")
                        .register(registry),
                FunctionCounter.builder("dormouse.front.bytes", this, m -> m.fresh().bytesOut()).baseUnit("bytes")
                        .description("bytes through the front door").tag("vm", vm).tag("direction", "out")
                        .register(registry));
    }

    void opened() {
        opened.increment();
        active.incrementAndGet();
        demand();
    }

    void closed() {
        active.decrementAndGet();
        demand();
    }

    /** Takes a place among the held connections; false (and nothing taken) when {@code limit} are held. */
    boolean hold(int limit) {
        if (held.incrementAndGet() > limit) {
            held.decrementAndGet();
            return false;
        }
        return true;
    }

    void released() {
        held.decrementAndGet();
    }

    void in(int bytes) {
        bytesIn.add(bytes);
        demand();
    }

    void out(int bytes) {
        bytesOut.add(bytes);
        demand();
    }

    void woke() {
        lastWake = clock.millis();
    }

    /**
     * Takes the kernel's latest totals for this VM; true when they changed: the VM had demand. Totals below the
     * last ones mean the kernel's counters started again (its table was built afresh): what was counted
     * before is kept, so that the meters never go backwards.
     */
    synchronized boolean routed(KernelRoutes.Totals totals) {
        if (totals.equals(lastRouted)) {
            return false;
        }
        if (totals.opened() < lastRouted.opened() || totals.bytesIn() < lastRouted.bytesIn()
                || totals.bytesOut() < lastRouted.bytesOut()) {
            routedBefore = sum(routedBefore, lastRouted, 0);
        }
        lastRouted = totals;
        routed = sum(routedBefore, totals, totals.active());
        demand();
        return true;
    }

    private static KernelRoutes.Totals sum(KernelRoutes.Totals a, KernelRoutes.Totals b, int active) {
        return new KernelRoutes.Totals(a.opened() + b.opened(), active, a.bytesIn() + b.bytesIn(),
                a.bytesOut() + b.bytesOut());
    }

    int active() {
        return active.get() + routed.active();
    }

    long lastWakeMillis() {
        return lastWake;
    }

    /** Spliced and routed connections together. */
    Traffic.Counts counts() {
        KernelRoutes.Totals r = routed;
        return new Traffic.Counts(opened.sum() + r.opened(), active.get() + r.active(), bytesIn.sum() + r.bytesIn(),
                bytesOut.sum() + r.bytesOut(), instant(lastDemand), instant(lastWake));
    }

    private Traffic.Counts fresh() {
        refresh.run();
        return counts();
    }

    void unregister(MeterRegistry registry) {
        meters.forEach(registry::remove);
    }

    private void demand() {
        lastDemand = clock.millis();
    }

    private static Instant instant(long millis) {
        return millis == NEVER ? null : Instant.ofEpochMilli(millis);
    }
}
