package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;

/**
 * A known event that multiplies demand while it lasts: a recurring job (a nightly backup) or a
 * one-off period (a campaign, a holiday). A factor below 1 means less demand.
 */
public sealed interface CalendarEvent {

    /** The event's name; events sharing a name share one learned effect. */
    String name();

    /** The declared demand multiplier, used until history shows the event's real effect. */
    double loadFactor();

    /** Whether the event is in effect at {@code t}. */
    boolean covers(Instant t);

    /** Starts at every firing of {@code schedule} (UTC) and lasts {@code duration}. */
    record Recurring(String name, Cron schedule, Duration duration, double loadFactor) implements CalendarEvent {
        public Recurring {
            checkName(name);
            if (schedule == null) {
                throw new ForecastException("event '" + name + "': schedule must not be null");
            }
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new ForecastException("event '" + name + "': duration must be positive, got " + duration);
            }
            checkFactor(name, loadFactor);
        }

        @Override
        public boolean covers(Instant t) {
            return schedule.firedWithin(t, duration);
        }
    }

    /** In effect from {@code start} (inclusive) to {@code end} (exclusive). */
    record OneOff(String name, Instant start, Instant end, double loadFactor) implements CalendarEvent {
        public OneOff {
            checkName(name);
            if (start == null || end == null || !end.isAfter(start)) {
                throw new ForecastException("event '" + name + "': end " + end + " must be after start " + start);
            }
            checkFactor(name, loadFactor);
        }

        @Override
        public boolean covers(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new ForecastException("event name must be a non-empty word without spaces, got '" + name + "'");
        }
    }

    private static void checkFactor(String name, double factor) {
        if (!Double.isFinite(factor) || factor < 0) {
            throw new ForecastException("event '" + name + "': load factor must be a finite number >= 0, got " + factor);
        }
    }
}
