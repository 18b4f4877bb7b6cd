package io.dormouse.sim;

/**
 * The predictive policy's per-VM model of the chance that the coming step has a request, learned
 * by counting over the VM's history: given how long it has been quiet (idle buckets, finer near a
 * request) and what the demand forecast says of the step (quiet, possible at the 0.9 quantile, likely
 * at the median). Rare combinations lean on the idle time alone, and that on the VM's overall rate.
 */
final class ActivityOdds {

    /** Upper ends (exclusive) of the idle buckets, in steps since the last request. */
    private static final int[] IDLE_ENDS = {1, 2, 3, 4, 5, 6, 9, 12, 18, 24, 36, 48, 72, 144, 288, Integer.MAX_VALUE};
    static final int FORECAST_CLASSES = 3;
    /** Classes of the share of active steps at this hour of day in the history: below 10%, below 40%, more. */
    static final int HOUR_CLASSES = 3;
    /** Pseudo-counts pulling a sparse cell towards the coarser estimate. */
    private static final double PRIOR = 4;

    private final long[] seen = new long[IDLE_ENDS.length * FORECAST_CLASSES];
    private final long[] active = new long[seen.length];
    private final long[] seenFine = new long[seen.length * HOUR_CLASSES];
    private final long[] activeFine = new long[seenFine.length];
    private final long[] seenByIdle = new long[IDLE_ENDS.length];
    private final long[] activeByIdle = new long[IDLE_ENDS.length];
    private long seenAll;
    private long activeAll;

    void clear() {
        java.util.Arrays.fill(seenFine, 0);
        java.util.Arrays.fill(activeFine, 0);
        java.util.Arrays.fill(seen, 0);
        java.util.Arrays.fill(active, 0);
        java.util.Arrays.fill(seenByIdle, 0);
        java.util.Arrays.fill(activeByIdle, 0);
        seenAll = 0;
        activeAll = 0;
    }

    static int idleBucket(int idleSteps) {
        int b = 0;
        while (idleSteps >= IDLE_ENDS[b]) {
            b++;
        }
        return b;
    }

    /** Counts one observed step: quiet for {@code idleSteps} before it, forecast class {@code forecast}, with or without a request. */
    void observe(int idleSteps, int forecast, int hour, boolean wasActive) {
        int b = idleBucket(idleSteps);
        int cell = b * FORECAST_CLASSES + forecast;
        int hit = wasActive ? 1 : 0;
        seenFine[cell * HOUR_CLASSES + hour]++;
        activeFine[cell * HOUR_CLASSES + hour] += hit;
        seen[cell]++;
        active[cell] += hit;
        seenByIdle[b]++;
        activeByIdle[b] += hit;
        seenAll++;
        activeAll += hit;
    }

    /** The estimated chance of a request at a step quiet for {@code idleSteps} before it, of forecast class {@code forecast}. */
    double chance(int idleSteps, int forecast, int hour) {
        int b = idleBucket(idleSteps);
        double overall = (activeAll + 0.5) / (seenAll + 1.0);
        double byIdle = (activeByIdle[b] + PRIOR * overall) / (seenByIdle[b] + PRIOR);
        int cell = b * FORECAST_CLASSES + forecast;
        double byForecast = (active[cell] + PRIOR * byIdle) / (seen[cell] + PRIOR);
        int fine = cell * HOUR_CLASSES + hour;
        return (activeFine[fine] + PRIOR * byForecast) / (seenFine[fine] + PRIOR);
    }
}
