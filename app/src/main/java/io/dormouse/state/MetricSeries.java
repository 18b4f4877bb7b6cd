package io.dormouse.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a VM's series back from {@link MetricSamples}: raw, or aggregated to a step. A step is served from
 * the coarsest rollup whose buckets tile it (a step that is a whole number of hours from the hourly buckets,
 * of five minutes from the five-minute ones), else from raw samples. Steps are counted from {@code from},
 * rounded down to a bucket start when a rollup serves them, so rollups and raw samples give the same values
 * where both exist.
 */
public final class MetricSeries {

    private final MetricSamples store;

    public MetricSeries(MetricSamples store) {
        this.store = store;
    }

    /** The rollup that serves {@code step}, or empty when only raw samples can. */
    public static Optional<Resolution> resolutionFor(Duration step) {
        Resolution chosen = null;
        for (Resolution r : Resolution.values()) {
            if (step.toMillis() % r.length().toMillis() == 0
                    && (chosen == null || r.length().compareTo(chosen.length()) > 0)) {
                chosen = r;
            }
        }
        return Optional.ofNullable(chosen);
    }

    /** The raw samples from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    public List<MetricSample> raw(long vmId, String metric, Instant from, Instant to) {
        return store.range(vmId, metric, from, to);
    }

    /**
     * One point per step of length {@code step} that holds samples between {@code from} and {@code to},
     * at the step's start; steps without samples are left out.
     */
    public List<MetricSample> stepped(long vmId, String metric, Instant from, Instant to, Duration step, Aggregate aggregate) {
        if (!step.isPositive()) {
            throw new IllegalArgumentException("step " + step + " must be positive");
        }
        long stepMillis = step.toMillis();
        TreeMap<Long, Accumulator> steps = new TreeMap<>();
        Optional<Resolution> resolution = resolutionFor(step);
        long origin = resolution.map(r -> r.bucketOf(from)).orElse(from).toEpochMilli();
        if (resolution.isPresent()) {
            for (MetricRollup r : store.rollups(vmId, metric, resolution.get(), from, to)) {
                steps.computeIfAbsent(origin + Math.floorDiv(r.start().toEpochMilli() - origin, stepMillis) * stepMillis,
                        k -> new Accumulator()).add(r.samples(), r.total(), r.peak());
            }
        } else {
            for (MetricSample s : store.range(vmId, metric, from, to)) {
                steps.computeIfAbsent(origin + Math.floorDiv(s.at().toEpochMilli() - origin, stepMillis) * stepMillis,
                        k -> new Accumulator()).add(1, s.value(), s.value());
            }
        }
        List<MetricSample> points = new ArrayList<>(steps.size());
        steps.forEach((start, acc) -> points.add(new MetricSample(vmId, metric, Instant.ofEpochMilli(start),
                acc.value(aggregate))));
        return points;
    }

    /**
     * The finest history there is between {@code from} and {@code to}, for forecasting: raw samples where
     * they are kept, before the oldest of them the means of five-minute buckets, before those of hourly ones.
     */
    public List<MetricSample> history(long vmId, String metric, Instant from, Instant to) {
        List<MetricSample> raw = raw(vmId, metric, from, to);
        Instant finer = raw.isEmpty() ? to : raw.getFirst().at();
        List<MetricSample> older = new ArrayList<>();
        Resolution[] finestFirst = {Resolution.FIVE_MINUTES, Resolution.HOUR};
        for (Resolution r : finestFirst) {
            if (!from.isBefore(finer)) {
                break;
            }
            List<MetricSample> buckets = new ArrayList<>();
            for (MetricRollup b : store.rollups(vmId, metric, r, from, finer)) {
                // a bucket reaching into finer data would count that part twice
                if (!b.start().plus(r.length()).isAfter(finer)) {
                    buckets.add(new MetricSample(vmId, metric, b.start(), b.mean()));
                }
            }
            older.addAll(0, buckets);
            if (!buckets.isEmpty()) {
                finer = buckets.getFirst().at();
            }
        }
        older.addAll(raw);
        return older;
    }

    /** The samples of one step so far. */
    private static final class Accumulator {
        long samples;
        double total;
        double peak = Double.NEGATIVE_INFINITY;

        void add(long count, double sum, double max) {
            samples += count;
            total += sum;
            peak = Math.max(peak, max);
        }

        double value(Aggregate aggregate) {
            return switch (aggregate) {
                case MEAN -> total / samples;
                case MAX -> peak;
                case SUM -> total;
            };
        }
    }
}
