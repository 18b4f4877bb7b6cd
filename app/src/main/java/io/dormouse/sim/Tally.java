package io.dormouse.sim;

/**
 * One policy point's counters over many VMs. All whole numbers (milliseconds, counts, histogram
 * bins), so that adding tallies gives the same result in any order: a run's figures do not depend on
 * how its VMs were spread over threads.
 */
final class Tally {

    /** Added latency histogram: 1 ms bins up to a minute; bin 0 is a request that found the VM awake. */
    static final int LATENCY_BINS = 60_001;
    /** Wake lead time histogram: 1-minute bins up to a week. */
    static final int LEAD_BINS = 7 * 24 * 60 + 1;

    long vms;
    long scoredSteps;
    long demandSteps;
    long coldStarts;
    long awakeMs;
    long idleAwakeMs;
    long wakes;
    long proactiveWakes;
    long wastedWakes;
    long hibernations;
    final long[] latency = new long[LATENCY_BINS];
    final long[] lead = new long[LEAD_BINS];

    void addLatency(double ms) {
        latency[(int) Math.min(LATENCY_BINS - 1, Math.ceil(ms))]++;
    }

    void addLead(double ms) {
        lead[(int) Math.min(LEAD_BINS - 1, ms / 60_000)]++;
    }

    void add(Tally o) {
        vms += o.vms;
        scoredSteps += o.scoredSteps;
        demandSteps += o.demandSteps;
        coldStarts += o.coldStarts;
        awakeMs += o.awakeMs;
        idleAwakeMs += o.idleAwakeMs;
        wakes += o.wakes;
        proactiveWakes += o.proactiveWakes;
        wastedWakes += o.wastedWakes;
        hibernations += o.hibernations;
        for (int i = 0; i < latency.length; i++) {
            latency[i] += o.latency[i];
        }
        for (int i = 0; i < lead.length; i++) {
            lead[i] += o.lead[i];
        }
    }

    /** The {@code p} quantile of a histogram, as the bin's index; NaN when it is empty. */
    static double quantile(long[] histogram, double p) {
        long total = 0;
        for (long c : histogram) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= Math.max(1, rank)) {
                return i;
            }
        }
        return histogram.length - 1;
    }
}
