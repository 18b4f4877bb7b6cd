package io.dormouse.state;

import java.time.Duration;
import java.time.Instant;

/** A recorded calendar event; see {@link NewCalendarEvent} for what the fields mean. */
public record CalendarEvent(long id, String name, Kind kind, String schedule, Instant startsAt, Instant endsAt,
                            Duration duration, double loadFactor, String vmName, Instant createdAt) {

    /** Recurring on a schedule, or happening once. */
    public enum Kind {
        RECURRING("recurring"),
        ONE_OFF("one-off");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The spelling in the database, the API and configuration. */
        public String label() {
            return label;
        }

        public static Kind of(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("calendar event kind must be recurring or one-off, got " + label);
        }
    }

    /** Whether the event concerns every VM rather than one. */
    public boolean fleetWide() {
        return vmName == null;
    }
}
