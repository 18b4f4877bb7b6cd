package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aligns irregular samples to a regular grid. Step {@code i} covers {@code [start + i*step,
 * start + (i+1)*step)} where {@code start} is the first sample's time rounded down to a whole
 * number of steps since the epoch; every sample lands in the step that contains it.
 */
final class SeriesGrid {

    private SeriesGrid() {
    }

    static Series align(List<Sample> samples, Duration step, Aggregation aggregation, GapPolicy gaps) {
        check(samples);
        if (step == null || step.isZero() || step.isNegative()) {
            throw new ForecastException("step must be a positive duration, got " + step);
        }
        long stepNanos = step.toNanos();
        Instant start = floor(samples.getFirst().time(), stepNanos);
        Instant last = samples.getLast().time();
        long steps = Duration.between(start, last).toNanos() / stepNanos + 1;
        if (steps > Integer.MAX_VALUE - 8) {
            throw new ForecastException("samples span " + steps + " steps of " + step + ": too many");
        }
        double[] values = new double[(int) steps];
        int[] counts = new int[values.length];
        Arrays.fill(values, Double.NaN);
        for (Sample s : samples) {
            int i = (int) (Duration.between(start, s.time()).toNanos() / stepNanos);
            values[i] = counts[i] == 0 ? s.value() : aggregation.combine(values[i], s.value(), counts[i]);
            counts[i]++;
        }
        return switch (gaps) {
            case GapPolicy.MarkMissing m -> new Series(start, step, values);
            case GapPolicy.Refuse r -> refuseGaps(new Series(start, step, values));
            case GapPolicy.Interpolate in -> new Series(start, step, interpolate(values, in.maxSteps()));
        };
    }

    /** The most frequent interval between consecutive samples (on a tie, the one that got there first). */
    static Duration typicalStep(List<Sample> samples) {
        check(samples);
        if (samples.size() < 2) {
            throw new ForecastException("need at least 2 samples to infer the step, got 1 (at "
                    + samples.getFirst().time() + ")");
        }
        Map<Duration, Integer> counts = new HashMap<>();
        Duration best = null;
        int bestCount = 0;
        for (int i = 1; i < samples.size(); i++) {
            Duration d = Duration.between(samples.get(i - 1).time(), samples.get(i).time());
            if (d.isZero()) {
                continue;
            }
            int c = counts.merge(d, 1, Integer::sum);
            if (c > bestCount) {
                best = d;
                bestCount = c;
            }
        }
        if (best == null) {
            throw new ForecastException("all " + samples.size() + " samples share the time "
                    + samples.getFirst().time() + ": cannot infer a step");
        }
        return best;
    }

    private static void check(List<Sample> samples) {
        if (samples == null || samples.isEmpty()) {
            throw new ForecastException("no samples: a series needs at least one sample");
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (!Double.isFinite(s.value())) {
                throw new ForecastException("sample " + i + " at " + s.time() + " has value " + s.value()
                        + ": values must be finite numbers");
            }
            if (i > 0 && s.time().isBefore(samples.get(i - 1).time())) {
                throw new ForecastException("sample " + i + " at " + s.time() + " is earlier than sample "
                        + (i - 1) + " at " + samples.get(i - 1).time() + ": samples must be in time order");
            }
        }
    }

    private static Instant floor(Instant t, long stepNanos) {
        long nanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        return Instant.ofEpochSecond(0, nanos - Math.floorMod(nanos, stepNanos));
    }

    private static Series refuseGaps(Series s) {
        for (int i = 0; i < s.size(); i++) {
            if (Double.isNaN(s.at(i))) {
                int end = i;
                while (Double.isNaN(s.at(end))) {
                    end++;
                }
                throw new ForecastException("gap in samples: no sample from " + s.timeAt(i) + " to "
                        + s.timeAt(end) + " (" + (end - i) + " steps of " + s.step()
                        + "); choose a gap policy that interpolates or marks missing steps");
            }
        }
        return s;
    }

    /** Fills the gaps of at most {@code maxSteps} in {@code v}, which starts and ends with a value. */
    private static double[] interpolate(double[] v, int maxSteps) {
        int i = 0;
        while (i < v.length) {
            if (!Double.isNaN(v[i])) {
                i++;
                continue;
            }
            int end = i;
            while (Double.isNaN(v[end])) {
                end++;
            }
            int length = end - i;
            if (length <= maxSteps) {
                double before = v[i - 1];
                double after = v[end];
                for (int k = 1; k <= length; k++) {
                    v[i + k - 1] = before + (after - before) * k / (length + 1);
                }
            }
            i = end;
        }
        return v;
    }
}
