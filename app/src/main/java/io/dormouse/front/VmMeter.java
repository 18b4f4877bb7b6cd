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
 * Adders, not locks: every chunk a splice moves is counted.
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
    private final List<Meter> meters;

    VmMeter(String vm, InstantSource clock, MeterRegistry registry) {
        this.clock = clock;
        meters = List.of(
                FunctionCounter.builder("dormouse.front.connections", opened, LongAdder::sum)
                        .description("connections accepted at the VM's front address").tag("vm", vm)
                        .register(registry),
                Gauge.builder("dormouse.front.connections.active", active, AtomicInteger::get)
                        .description("connections open at the VM's front address, held ones included").tag("vm", vm)
                        .register(registry),
                Gauge.builder("dormouse.front.connections.held", held, AtomicInteger::get)
                        .description("connections waiting for the VM to wake").tag("vm", vm).register(registry),
                FunctionCounter.builder("dormouse.front.bytes", bytesIn, LongAdder::sum).baseUnit("bytes")
                        .description("bytes through the front door").tag("vm", vm).tag("direction", "in")
                        .register(registry),
                FunctionCounter.builder("dormouse.front.bytes", bytesOut, LongAdder::sum).baseUnit("bytes")
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

    int active() {
        return active.get();
    }

    long lastWakeMillis() {
        return lastWake;
    }

    Traffic.Counts counts() {
        return new Traffic.Counts(opened.sum(), active.get(), bytesIn.sum(), bytesOut.sum(), instant(lastDemand),
                instant(lastWake));
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
