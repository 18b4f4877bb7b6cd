package io.dormouse.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses a VM's thresholds by replaying its own history ({@link Replay}) under every policy of a grid
 * and keeping the cheapest: cost = cold starts x {@code coldStartPenalty} + idle awake hours x
 * {@code idleAwakeHourCost}. Ties go to the shorter duration, then the lower thresholds.
 */
public final class Tuning {

    /**
     * The stated cost and what counts as a request.
     *
     * @param coldStartPenalty  the cost of one request finding the VM asleep
     * @param idleAwakeHourCost the cost of one hour awake without requests
     * @param activeAbove       demand above this in a step is a request
     */
    public record Costs(double coldStartPenalty, double idleAwakeHourCost, double activeAbove) {
        public Costs {
            if (!Double.isFinite(coldStartPenalty) || coldStartPenalty < 0) {
                throw new ScheduleException("coldStartPenalty", "coldStartPenalty must be a finite number of 0 or more,"
                        + " got " + coldStartPenalty);
            }
            if (!Double.isFinite(idleAwakeHourCost) || idleAwakeHourCost < 0) {
                throw new ScheduleException("idleAwakeHourCost", "idleAwakeHourCost must be a finite number of 0 or"
                        + " more, got " + idleAwakeHourCost);
            }
            if (!Double.isFinite(activeAbove) || activeAbove < 0) {
                throw new ScheduleException("activeAbove", "activeAbove must be a finite number of 0 or more, got "
                        + activeAbove);
            }
        }
    }

    /** The candidate demand levels (for both thresholds) and hibernation durations. */
    public record Grid(List<Double> levels, List<Duration> durations) {
        public Grid {
            levels = List.copyOf(new TreeSet<>(levels));
            durations = List.copyOf(new TreeSet<>(durations));
            if (levels.isEmpty() || durations.isEmpty()) {
                throw new IllegalArgumentException("a tuning grid needs at least one level and one duration, got "
                        + levels + " and " + durations);
            }
        }

        /** Step multiples of the durations tried by default, capped at a day. */
        private static final int[] STEPS = {1, 2, 3, 5, 10, 15, 30, 60, 120, 240};
        private static final double[] LEVELS = {0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1};

        /**
         * Levels half-way between distinct quantiles of {@code demand} (so that "below" and "above" split
         * its values), durations of 1 to 240 steps up to a day.
         */
        public static Grid of(double[] demand, Duration step) {
            double[] sorted = Arrays.stream(demand).filter(Double::isFinite).sorted().toArray();
            TreeSet<Double> quantiles = new TreeSet<>();
            for (double q : LEVELS) {
                if (sorted.length > 0) {
                    quantiles.add(sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
                }
            }
            List<Double> levels = new ArrayList<>();
            Double previous = null;
            for (double q : quantiles) {
                if (previous != null) {
                    levels.add((previous + q) / 2);
                }
                previous = q;
            }
            if (levels.isEmpty()) {
                levels.add(previous == null ? 0.5 : Math.max(0, previous) + 0.5);
            }
            List<Duration> durations = new ArrayList<>();
            for (int k : STEPS) {
                Duration d = step.multipliedBy(k);
                if (d.compareTo(Duration.ofDays(1)) <= 0) {
                    durations.add(d);
                }
            }
            return new Grid(levels, durations.isEmpty() ? List.of(step) : durations);
        }
    }

    /**
     * The chosen thresholds and what they would have cost over the history.
     *
     * @param candidates how many policies were replayed
     * @param replayed   how much history was replayed
     */
    public record Tuned(double hibernateBelow, Duration hibernateAfter, double wakeAbove, double expectedCost,
                        Replay.Outcome outcome, int candidates, Duration replayed) {

        /** {@code policy} with these thresholds. */
        public SchedulePolicy applyTo(SchedulePolicy policy) {
            return policy.withThresholds(hibernateBelow, hibernateAfter, wakeAbove);
        }
    }

    private Tuning() {
    }

    /**
     * Tunes {@code base}'s thresholds on {@code demand} (step {@code step} from {@code start}); the rest of
     * the policy is kept. A fixed-idle VM is never woken ahead, so its wake threshold is its hibernation
     * threshold; an always-on VM has nothing to tune and gets its own policy's cost.
     */
    public static Tuned tune(SchedulePolicy base, double[] demand, Instant start, Duration step, Foresight foresight,
                             Duration restoreTime, Costs costs, Grid grid) {
        int warmup = 1;
        Tuned best = null;
        int candidates = 0;
        Duration replayed = step.multipliedBy(demand.length);
        // an expected-cost VM's hibernateAfter is the price of a cold start, not a threshold to tune
        List<Duration> durations = base.kind() == SchedulePolicy.Kind.ALWAYS_ON
                || base.kind() == SchedulePolicy.Kind.EXPECTED_COST ? List.of(base.hibernateAfter()) : grid.durations();
        List<Double> levels = base.kind() == SchedulePolicy.Kind.ALWAYS_ON ? List.of(base.hibernateBelow()) : grid.levels();
        for (Duration after : durations) {
            for (double below : levels) {
                List<Double> aboves = switch (base.kind()) {
                    case FIXED_IDLE, EXPECTED_COST -> List.of(below);
                    case ALWAYS_ON -> List.of(base.wakeAbove());
                    case PREDICTIVE, HYBRID_HISTOGRAM -> grid.levels().stream().filter(a -> a >= below).toList();
                };
                for (double above : aboves) {
                    SchedulePolicy candidate = base.withThresholds(below, after, above);
                    Replay.Outcome outcome = Replay.run(candidate, demand, start, step, foresight, restoreTime,
                            costs.activeAbove(), warmup);
                    candidates++;
                    double cost = outcome.cost(costs.coldStartPenalty(), costs.idleAwakeHourCost());
                    if (best == null || cost < best.expectedCost()) {
                        best = new Tuned(below, after, above, cost, outcome, 0, replayed);
                    }
                }
            }
        }
        return new Tuned(best.hibernateBelow(), best.hibernateAfter(), best.wakeAbove(), best.expectedCost(),
                best.outcome(), candidates, replayed);
    }
}
