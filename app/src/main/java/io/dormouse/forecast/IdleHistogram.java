package io.dormouse.forecast;

import java.time.Duration;

/**
 * Histogram of idle times (the time between one active step and the next, in 1-minute bins up
 * to a range) and the windows the hybrid histogram policy derives from it (Shahrad et al., USENIX ATC 2020).
 */
final class IdleHistogram {

    static final Duration BIN = Duration.ofMinutes(1);
    /** The paper's margins: pre-warm 10% earlier than the head, keep alive 10% past the tail. */
    static final double HEAD_MARGIN = 0.9;
    static final double TAIL_MARGIN = 1.1;

    private final int[] counts;
    private final int outOfRange;
    private final int inRange;

    private IdleHistogram(int[] counts, int outOfRange, int inRange) {
        this.counts = counts;
        this.outOfRange = outOfRange;
        this.inRange = inRange;
    }

    /**
     * Idle times of {@code s}: a step is active when its value exceeds {@code threshold}; an idle time
     * spanning a missing step is not counted.
     */
    static IdleHistogram of(Series s, double threshold, Duration range) {
        int[] counts = new int[(int) (range.toNanos() / BIN.toNanos())];
        int outOfRange = 0;
        int inRange = 0;
        int lastActive = -1;
        for (int i = 0; i < s.size(); i++) {
            double v = s.at(i);
            if (Double.isNaN(v)) {
                lastActive = -1;
            } else if (v > threshold) {
                if (lastActive >= 0) {
                    long bin = s.step().multipliedBy(i - lastActive - 1L).toNanos() / BIN.toNanos();
                    if (bin < counts.length) {
                        counts[(int) bin]++;
                        inRange++;
                    } else {
                        outOfRange++;
                    }
                }
                lastActive = i;
            }
        }
        return new IdleHistogram(counts, outOfRange, inRange);
    }

    int idleTimes() {
        return inRange + outOfRange;
    }

    double outOfRangeShare() {
        return idleTimes() == 0 ? 0 : (double) outOfRange / idleTimes();
    }

    /** Coefficient of variation of the bin counts: low when idle times are spread evenly (no pattern). */
    double binCountVariation() {
        double mean = (double) inRange / counts.length;
        if (mean == 0) {
            return 0;
        }
        double squares = 0;
        for (int c : counts) {
            squares += (c - mean) * (c - mean);
        }
        return Math.sqrt(squares / counts.length) / mean;
    }

    /** The pre-warm window (the 5th percentile less the margin) and the keep-alive after it (to the 99th plus the margin). */
    IdleWindows windows() {
        long head = percentileBin(0.05);
        long tail = percentileBin(0.99) + 1;
        Duration prewarm = minutes(Math.floor(head * HEAD_MARGIN));
        Duration end = minutes(Math.ceil(tail * TAIL_MARGIN));
        return new IdleWindows(prewarm, end.minus(prewarm), true);
    }

    /** The first bin at which the cumulative count reaches {@code p} of the in-range idle times. */
    private long percentileBin(double p) {
        long cumulative = 0;
        for (int b = 0; b < counts.length; b++) {
            cumulative += counts[b];
            if (cumulative >= p * inRange) {
                return b;
            }
        }
        return counts.length - 1;
    }

    private static Duration minutes(double m) {
        return BIN.multipliedBy((long) m);
    }
}
