package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Objects;

/**
 * The predictive hibernation scheduler: whether it acts, how often it looks, which demand series it
 * reads and how, how often models are refitted and thresholds retuned, and the cost tuning minimizes.
 */
public record ScheduleConfig(Mode mode, Duration interval, String metric, Duration step, Duration history,
                             Duration refitInterval, int refitsPerRound, Duration retuneInterval, double quantile,
                             double coldStartPenalty, double idleAwakeHourCost, double activeAbove,
                             int maxConcurrentWakes, double timeScale) {

    static final ScheduleConfig DEFAULTS = new ScheduleConfig(Mode.ACT, Duration.ofSeconds(30), "demand",
            Duration.ofMinutes(5), Duration.ofDays(14), Duration.ofHours(6), 4, Duration.ofHours(24), 0.9, 1.0, 1.0,
            0.0, 4, 1.0);

    public ScheduleConfig {
        Objects.requireNonNull(mode, "mode");
        positive("interval", interval);
        if (metric == null || !metric.matches("[a-z][a-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("metric \"" + metric + "\" is not a metric name: lower-case letters,"
                    + " digits, '_', '.', '-', such as demand or connections");
        }
        positive("step", step);
        positive("history", history);
        if (history.compareTo(step.multipliedBy(4)) < 0) {
            throw new IllegalArgumentException("history " + HumanDuration.format(history) + " must cover at least"
                    + " 4 steps of " + HumanDuration.format(step));
        }
        positive("refit-interval", refitInterval);
        if (refitsPerRound < 1 || refitsPerRound > 10_000) {
            throw new IllegalArgumentException("refits-per-round " + refitsPerRound + " is out of range; allowed 1-10000");
        }
        positive("retune-interval", retuneInterval);
        if (quantile != 0.5 && quantile != 0.9 && quantile != 0.99) {
            throw new IllegalArgumentException("quantile " + quantile + " is not allowed; allowed: 0.5, 0.9, 0.99"
                    + " (the levels every forecaster gives)");
        }
        notNegative("cold-start-penalty", coldStartPenalty);
        notNegative("idle-awake-hour-cost", idleAwakeHourCost);
        notNegative("active-above", activeAbove);
        if (maxConcurrentWakes < 1 || maxConcurrentWakes > 10_000) {
            throw new IllegalArgumentException("max-concurrent-wakes " + maxConcurrentWakes
                    + " is out of range; allowed 1-10000");
        }
        if (!(timeScale >= 1.0 && timeScale <= 100_000.0)) {
            throw new IllegalArgumentException("time-scale " + timeScale + " is out of range; allowed 1.0-100000.0"
                    + " (series time per clock time, above 1 only for demos and tests)");
        }
    }

    /** What the scheduler does with its decisions. */
    public enum Mode {
        /** Hibernate and wake as decided. */
        ACT,
        /** Log and record every decision, act on none. */
        FORECAST_ONLY,
        /** Do not run. */
        OFF;

        @JsonCreator
        public static Mode parse(String text) {
            return Choices.parse(Mode.class, text);
        }

        @JsonValue
        @Override
        public String toString() {
            return Choices.word(this);
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || !value.isPositive()) {
            throw new IllegalArgumentException(key + " " + value + " must be a positive duration such as 30s");
        }
    }

    private static void notNegative(String key, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " " + value + " must be a finite number of 0 or more");
        }
    }
}
