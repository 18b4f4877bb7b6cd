package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The per-step inputs of the {@link Lstm}: the demand of the previous step, of the same time a
 * day before and a week before, each with a flag saying whether it was observed (a NaN gap and
 * every step after the forecast origin are masked the same way: value 0, flag 0); time of day
 * and day of week as points on a circle; and the calendar's event flag and log load factor at
 * the step being predicted. The seasonal lags give the network what a seasonal naive forecast
 * knows, so that it can follow a change of the daily or weekly profile seen in the context
 * without refitting; demand inputs and targets are measured from the recent level
 * ({@link #anchor}).
 */
final class LstmFeatures {

    static final int INPUTS = 12;
    private static final int PREVIOUS = 0;
    private static final int DAY_AGO = 2;
    private static final int WEEK_AGO = 4;
    private static final int TIME = 6;
    private static final int EVENT = 10;
    private static final int LOAD = 11;
    private static final long DAY_SECONDS = 86_400;
    private static final long WEEK_SECONDS = 7 * DAY_SECONDS;
    private static final double SCALE_PERCENTILE = 0.95;
    private static final int ANCHOR_STEPS = 6;
    /** A lag so long that it always points before the series and is masked. */
    private static final int UNUSED = Integer.MAX_VALUE / 2;

    private final Duration step;
    private final Calendar calendar;
    private final int dayLag;
    private final int weekLag;
    private final int longestLag;

    /**
     * Features for a model fitted on {@code historySteps} steps. A seasonal lag, and the phase of
     * the same period, is used only when the history spans two periods. A lag that training
     * rarely saw observed keeps its random initial weights, and switching it on at forecast time
     * would only add noise; a weekly phase seen in one week only lets the network memorize that
     * week rather than learn from the recent past.
     */
    LstmFeatures(Duration step, Calendar calendar, int historySteps) {
        this.step = step;
        this.calendar = calendar;
        this.dayLag = usableLag(Duration.ofDays(1), step, historySteps);
        this.weekLag = usableLag(Duration.ofDays(7), step, historySteps);
        this.longestLag = weekLag != UNUSED ? weekLag : (dayLag != UNUSED ? dayLag : 1);
    }

    /** The furthest step back that an input refers to. */
    int longestLag() {
        return longestLag;
    }

    /**
     * The divisor that brings demand near [0, 1]: the 95th percentile of the observed absolute
     * values, robust to the rare spike that a maximum would follow, falling back to the maximum
     * for mostly-zero series and to 1 for all-zero ones.
     */
    static double scaleOf(double[] values) {
        double[] observed = Arrays.stream(values).filter(v -> !Double.isNaN(v)).map(Math::abs).sorted().toArray();
        if (observed.length == 0) {
            return 1.0;
        }
        double high = observed[(int) Math.floor(SCALE_PERCENTILE * (observed.length - 1))];
        double max = observed[observed.length - 1];
        return high > 0 ? high : (max > 0 ? max : 1.0);
    }

    /**
     * Writes into {@code x} (row-major, {@link #INPUTS} per row) the inputs of steps
     * {@code from .. from + count - 1} of a series of scaled demand starting at {@code start};
     * only steps before {@code observedEnd} count as observed.
     *
     * @throws ForecastException when the calendar gives a load factor that is not positive and finite
     */
    void encode(double[] scaled, int observedEnd, Instant start, int from, int count, double[] x) {
        long stepNanos = step.toNanos();
        for (int r = 0; r < count; r++) {
            int t = from + r;
            int row = r * INPUTS;
            demand(x, row + PREVIOUS, scaled, t - 1, observedEnd);
            demand(x, row + DAY_AGO, scaled, t - dayLag, observedEnd);
            demand(x, row + WEEK_AGO, scaled, t - weekLag, observedEnd);
            Instant at = start.plusNanos(stepNanos * t);
            long seconds = at.getEpochSecond();
            double day = 2 * Math.PI * Math.floorMod(seconds, DAY_SECONDS) / DAY_SECONDS;
            double week = 2 * Math.PI * Math.floorMod(seconds, WEEK_SECONDS) / WEEK_SECONDS;
            boolean daily = dayLag != UNUSED;
            boolean weekly = weekLag != UNUSED;
            x[row + TIME] = daily ? Math.sin(day) : 0.0;
            x[row + TIME + 1] = daily ? Math.cos(day) : 0.0;
            x[row + TIME + 2] = weekly ? Math.sin(week) : 0.0;
            x[row + TIME + 3] = weekly ? Math.cos(week) : 0.0;
            double load = calendar.loadFactor(at);
            if (!(load > 0) || Double.isInfinite(load)) {
                throw new ForecastException("calendar load factor at " + at + " must be positive and finite, got " + load);
            }
            x[row + EVENT] = calendar.eventAt(at) ? 1.0 : 0.0;
            x[row + LOAD] = Math.log(load);
        }
    }

    /**
     * Hides in row {@code row} of a sequence every demand input that lies at or after row
     * {@code origin}, as for a forecast made at that origin.
     */
    void maskFrom(double[] x, int row, int origin) {
        int base = row * INPUTS;
        if (row - 1 >= origin) {
            mask(x, base + PREVIOUS);
        }
        if (row - dayLag >= origin) {
            mask(x, base + DAY_AGO);
        }
        if (row - weekLag >= origin) {
            mask(x, base + WEEK_AGO);
        }
    }

    /**
     * The level a sequence's demand inputs and targets are measured from: the mean of the last
     * {@value #ANCHOR_STEPS} observed demands before row {@code origin} (half an hour at 5-minute
     * steps, enough to smooth one noisy sample), 0 when none is observed.
     * Without it the cells had to learn to carry the level across the horizon, which a few
     * hundred updates did not teach them: on a random walk the forecast missed by several times
     * the error of repeating the last value. Measured from the anchor, "no change" is the
     * network's zero output, and it learns the seasonal and calendar deviations from it.
     */
    static double anchor(double[] x, int origin) {
        double sum = 0;
        int count = 0;
        for (int row = origin; row >= 0 && count < ANCHOR_STEPS; row--) {
            if (x[row * INPUTS + PREVIOUS + 1] != 0.0) {
                sum += x[row * INPUTS + PREVIOUS];
                count++;
            }
        }
        return count == 0 ? 0.0 : sum / count;
    }

    /** Measures every observed demand input of rows {@code 0 .. rows - 1} from {@code anchor}. */
    static void shift(double[] x, int rows, double anchor) {
        for (int row = 0; row < rows; row++) {
            for (int slot = row * INPUTS; slot < row * INPUTS + TIME; slot += 2) {
                if (x[slot + 1] != 0.0) {
                    x[slot] -= anchor;
                }
            }
        }
    }

    private static void demand(double[] x, int slot, double[] scaled, int index, int observedEnd) {
        if (index >= 0 && index < observedEnd && !Double.isNaN(scaled[index])) {
            x[slot] = scaled[index];
            x[slot + 1] = 1.0;
        } else {
            mask(x, slot);
        }
    }

    private static void mask(double[] x, int slot) {
        x[slot] = 0.0;
        x[slot + 1] = 0.0;
    }

    /**
     * Whole steps in {@code period}, at least one, rounded when the step does not divide it; or
     * {@link #UNUSED} when the history is shorter than two periods.
     */
    private static int usableLag(Duration period, Duration step, int historySteps) {
        long lag = Math.max(1, Math.round((double) period.toNanos() / step.toNanos()));
        return 2 * lag <= historySteps ? (int) lag : UNUSED;
    }
}
