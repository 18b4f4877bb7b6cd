package io.dormouse.state;

import java.time.Duration;
import java.time.Instant;

/**
 * A known event that changes demand, to record: recurring ({@code schedule} in cron form, each
 * occurrence lasting {@code duration}, optionally bounded by {@code startsAt}/{@code endsAt}) or
 * one-off (from {@code startsAt}, lasting {@code duration}).
 *
 * @param schedule   cron-like schedule; required for recurring events, null for one-off ones
 * @param startsAt   when a one-off event starts (required), or when a recurring one begins to apply (optional)
 * @param endsAt     when a recurring event stops applying; null for open-ended or one-off events
 * @param loadFactor expected demand multiplier while the event lasts (2.0 = twice the usual)
 * @param vmName     the VM it concerns; null for the whole fleet
 */
public record NewCalendarEvent(String name, CalendarEvent.Kind kind, String schedule, Instant startsAt,
                               Instant endsAt, Duration duration, double loadFactor, String vmName) {

    public NewCalendarEvent {
        Require.text("name", name);
        if (kind == null) {
            throw new IllegalArgumentException("kind of calendar event " + name + " is missing: recurring or one-off");
        }
        switch (kind) {
            case RECURRING -> Require.text("schedule of recurring calendar event " + name, schedule);
            case ONE_OFF -> {
                if (schedule != null || startsAt == null || endsAt != null) {
                    throw new IllegalArgumentException("one-off calendar event " + name
                            + " needs startsAt and neither schedule nor endsAt, got schedule " + schedule
                            + ", startsAt " + startsAt + ", endsAt " + endsAt);
                }
            }
        }
        if (startsAt != null && endsAt != null && !startsAt.isBefore(endsAt)) {
            throw new IllegalArgumentException("calendar event " + name + " must start before it ends, got startsAt "
                    + startsAt + ", endsAt " + endsAt);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration of calendar event " + name + " must be positive, got "
                    + duration);
        }
        if (!(loadFactor >= 0) || Double.isInfinite(loadFactor)) {
            throw new IllegalArgumentException("loadFactor of calendar event " + name
                    + " must be a finite number >= 0, got " + loadFactor);
        }
        if (vmName != null) {
            Require.text("vmName of calendar event " + name, vmName);
        }
    }
}
