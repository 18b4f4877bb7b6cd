package io.dormouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Per-VM telemetry: how often every VM is sampled, how long each resolution of its history is kept, how
 * often history past its retention is deleted, and whose traffic is not demand.
 */
public record TelemetryConfig(Duration interval, Retention retention, Duration compactInterval,
                              List<String> excludedSources) {

    static final TelemetryConfig DEFAULTS = new TelemetryConfig(Duration.ofSeconds(60),
            new Retention(Duration.ofDays(2), Duration.ofDays(35), Duration.ofDays(400)), Duration.ofHours(1), List.of());

    public TelemetryConfig {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("interval " + (interval == null ? null : HumanDuration.format(interval))
                    + " is out of range; allowed 1s-1h");
        }
        Objects.requireNonNull(retention, "retention");
        if (compactInterval == null || compactInterval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("compact-interval " + (compactInterval == null ? null
                    : HumanDuration.format(compactInterval)) + " must be at least 1m");
        }
        excludedSources = Cidrs.check("excluded-sources", excludedSources);
    }

    /**
     * How long raw samples and the five-minute and hourly rollups are kept, counted back from each series'
     * newest sample. A coarser resolution is kept at least as long as a finer one, so history only ever
     * loses detail as it ages, never whole stretches.
     */
    public record Retention(Duration raw, Duration fiveMinutes, Duration hourly) {
        public Retention {
            if (raw == null || raw.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("raw " + shown(raw) + " must be at least 1h");
            }
            if (fiveMinutes == null || fiveMinutes.compareTo(raw) < 0) {
                throw new IllegalArgumentException("five-minutes " + shown(fiveMinutes)
                        + " must be at least retention.raw (" + shown(raw) + ")");
            }
            if (hourly == null || hourly.compareTo(fiveMinutes) < 0) {
                throw new IllegalArgumentException("hourly " + shown(hourly)
                        + " must be at least retention.five-minutes (" + shown(fiveMinutes) + ")");
            }
        }

        private static String shown(Duration d) {
            return d == null ? "null" : HumanDuration.format(d);
        }
    }
}
