package io.dormouse.schedule;

/**
 * The expected-cost kind's rule, learned from a VM's own observed quiet gaps: the quiet time after which
 * hibernating costs least, a cold start against idle awake time, for gaps like the present one (the
 * quarter of the UTC day it began in, and whether the busy run before it was one step or longer).
 */
final class QuietGaps {

    /** Contexts: four quarters of the day times a busy run of one step or longer. */
    static final int CONTEXTS = 8;
    /** Weight, in gaps, of the VM's overall gaps in every context's: a context seen rarely follows the VM. */
    static final double PRIOR_GAPS = 8;
    private static final long DAY_MILLIS = 86_400_000L;

    private QuietGaps() {
    }

    /** Quiet steps at the end of {@code observed}: demand below {@code quietBelow} (a missing value is not quiet). */
    static int trailingQuiet(Demand observed, double quietBelow) {
        int q = 0;
        while (q < observed.length() && observed.at(observed.length() - 1 - q) < quietBelow) {
            q++;
        }
        return q;
    }

    /**
     * The quiet time, in steps, to hibernate at in the gap that ends {@code observed} (whose last step ends at
     * {@code endMillis}): the limit {@code d} minimising, over the past complete gaps of its context blended
     * with all, the cold starts (gaps of {@code d} steps or more) plus the idle awake time (each gap's length or
     * {@code d}, the shorter) at one cold start per {@code breakEvenMillis}. Candidates run from one step to
     * twice the break-even time or two days, the longer; with no past gap the limit is the break-even time
     * itself, the classic ski-rental rule.
     */
    static int limit(Demand observed, double quietBelow, long stepMillis, long endMillis, long breakEvenMillis) {
        int breakEven = (int) Math.max(1, (breakEvenMillis + stepMillis - 1) / stepMillis);
        int longest = (int) Math.max(2L * breakEven, 2 * DAY_MILLIS / stepMillis);
        long[][] counts = new long[CONTEXTS][longest + 2];
        int n = observed.length();
        long startMillis = endMillis - n * stepMillis;
        int last = -1;
        int busyRun = 0;
        long seen = 0;
        for (int i = 0; i < n; i++) {
            if (observed.at(i) < quietBelow) {
                continue;
            }
            int quiet = i - 1 - last;
            if (last >= 0 && quiet > 0) {
                counts[context(startMillis + last * stepMillis, busyRun)][Math.min(quiet, longest + 1)]++;
                seen++;
            }
            busyRun = quiet == 0 && last >= 0 ? busyRun + 1 : 1;
            last = i;
        }
        if (seen == 0 || last < 0) {
            return breakEven;
        }
        int current = context(startMillis + last * stepMillis, busyRun);
        long[] all = new long[longest + 2];
        for (long[] c : counts) {
            for (int g = 0; g < all.length; g++) {
                all[g] += c[g];
            }
        }
        double weight = PRIOR_GAPS / seen;
        double perStep = stepMillis / (double) breakEvenMillis;
        long own = sum(counts[current]);
        long upToOwn = 0;
        long upToAll = 0;
        double idle = 0;
        int best = 1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int d = 1; d <= longest; d++) {
            upToOwn += counts[current][d - 1];
            upToAll += all[d - 1];
            // gaps longer than d - 1 steps: awake and quiet at quiet time d - 1, and cold if hibernated at d
            double longer = (own - upToOwn) + weight * (seen - upToAll);
            idle += longer;
            double cost = perStep * idle + longer;
            if (cost < bestCost - 1e-9) {
                bestCost = cost;
                best = d;
            }
        }
        return best;
    }

    static int context(long millis, int busyRun) {
        int quarter = (int) (Math.floorMod(millis, DAY_MILLIS) * 4 / DAY_MILLIS);
        return quarter * 2 + (busyRun > 1 ? 1 : 0);
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }
}
