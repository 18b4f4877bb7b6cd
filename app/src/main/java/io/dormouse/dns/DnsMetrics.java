package io.dormouse.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The DNS front door's meters. Query counters are cached in an array so the hot path does not allocate. */
final class DnsMetrics {

    private static final int[] TYPES = {Type.A, Type.NS, Type.SOA, Type.TXT, Type.AAAA, Type.ANY};
    private static final int RCODES = 24;

    private final MeterRegistry registry;
    private final int vmstateType;
    private final AtomicReferenceArray<Counter> queries = new AtomicReferenceArray<>((TYPES.length + 2) * RCODES);
    private final Counter wakes;
    private final Counter frontAnswers;
    private final Timer hold;
    private final Counter responseLimited;
    private final Counter wakeLimited;
    private final Counter sourceLimited;

    DnsMetrics(MeterRegistry registry, int vmstateType) {
        this.registry = registry;
        this.vmstateType = vmstateType;
        this.wakes = Counter.builder("dormouse.dns.wakes")
                .description("Queries that asked for a hibernated VM to wake").register(registry);
        this.frontAnswers = Counter.builder("dormouse.dns.front.answers")
                .description("Answers with a VM's front address because it was not up in time or not woken")
                .register(registry);
        this.hold = Timer.builder("dormouse.dns.hold")
                .description("Time an answer for a hibernated VM was held").publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.responseLimited = limited("response");
        this.wakeLimited = limited("wake");
        this.sourceLimited = limited("source");
    }

    private Counter limited(String kind) {
        return Counter.builder("dormouse.dns.rate.limited").tag("kind", kind)
                .description("Queries held back by rate limits").register(registry);
    }

    void query(int type, int rcode) {
        int t = typeIndex(type);
        int r = rcode >= 0 && rcode < RCODES ? rcode : RCODES - 1;
        int i = t * RCODES + r;
        Counter c = queries.get(i);
        if (c == null) {
            c = Counter.builder("dormouse.dns.queries").description("DNS queries answered")
                    .tag("type", typeName(t)).tag("rcode", Rcode.string(r)).register(registry);
            queries.set(i, c);
        }
        c.increment();
    }

    private int typeIndex(int type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i;
            }
        }
        return type == vmstateType ? TYPES.length : TYPES.length + 1;
    }

    private static String typeName(int index) {
        return index < TYPES.length ? Type.string(TYPES[index]) : index == TYPES.length ? "VMSTATE" : "other";
    }

    void wake() {
        wakes.increment();
    }

    void frontAnswer() {
        frontAnswers.increment();
    }

    void held(long nanos) {
        hold.record(Duration.ofNanos(nanos));
    }

    void responseLimited() {
        responseLimited.increment();
    }

    void wakeLimited() {
        wakeLimited.increment();
    }

    /** The number of senders in penalty boxes, read when the registry is scraped. */
    void penaltyBoxes(PenaltyBox box) {
        Gauge.builder("dormouse.dns.penalty.boxes", box, PenaltyBox::size)
                .description("UDP senders (address and port) whose datagrams are dropped by the kernel for flooding")
                .register(registry);
    }

    void sourceLimited() {
        sourceLimited.increment();
    }
}
