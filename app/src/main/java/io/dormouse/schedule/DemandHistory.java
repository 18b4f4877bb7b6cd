package io.dormouse.schedule;

import io.dormouse.forecast.Aggregation;
import io.dormouse.forecast.GapPolicy;
import io.dormouse.forecast.Sample;
import io.dormouse.forecast.Series;
import io.dormouse.state.MetricSample;
import io.dormouse.state.MetricSamples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One VM's demand over the history window, on the scheduler's grid of steps in series time. Reads only
 * the samples stored since its last read (and a step before it, for samples stored late), and forgets
 * those older than the window; the whole window is read again before each fit and tuning, which
 * picks up histories imported after the fact.
 */
final class DemandHistory {

    /** Gaps of up to this many steps are filled by interpolation; longer ones stay missing. */
    private static final int FILL_STEPS = 2;

    private final long vmId;
    private final String metric;
    private final Duration step;
    private final Duration window;
    private final Pace pace;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Instant readUntil;

    DemandHistory(long vmId, String metric, Duration step, Duration window, Pace pace) {
        this.vmId = vmId;
        this.metric = metric;
        this.step = step;
        this.window = window;
        this.pace = pace;
    }

    /** Drops what was read, so that the next read takes the whole window again (samples imported late). */
    void forget() {
        samples.clear();
        readUntil = null;
    }

    /**
     * The observed demand in whole steps up to the step holding {@code clockNow} (excluded, since it is
     * still filling); empty when there is no sample in the window.
     */
    Series observed(MetricSamples store, Instant clockNow) {
        Instant from = readUntil != null ? readUntil.minus(pace.clock(step)) : clockNow.minus(pace.clock(window));
        if (from.isBefore(clockNow)) {
            for (MetricSample s : store.range(vmId, metric, from, clockNow)) {
                Instant at = pace.series(s.at());
                if (samples.isEmpty() || at.isAfter(samples.peekLast().time())) {
                    samples.addLast(new Sample(at, s.value()));
                }
            }
            readUntil = clockNow;
        }
        Instant now = pace.series(clockNow);
        long stepMillis = step.toMillis();
        Instant current = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), stepMillis) * stepMillis);
        Instant oldest = current.minus(window);
        while (!samples.isEmpty() && samples.peekFirst().time().isBefore(oldest)) {
            samples.removeFirst();
        }
        List<Sample> complete = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            if (s.time().isBefore(current)) {
                complete.add(s);
            }
        }
        if (complete.isEmpty()) {
            return new Series(current, step, new double[0]);
        }
        Series grid = Series.fromSamples(complete, step, Aggregation.MEAN, GapPolicy.interpolate(FILL_STEPS));
        // the steps after the last sample up to now are missing, not quiet
        int steps = (int) Duration.between(grid.start(), current).dividedBy(step);
        double[] values = Arrays.copyOf(grid.values(), steps);
        Arrays.fill(values, Math.min(grid.size(), steps), steps, Double.NaN);
        return new Series(grid.start(), step, values);
    }
}
