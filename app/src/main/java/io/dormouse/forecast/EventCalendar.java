package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Calendar} made of declared events. The text form has one event a line ({@code #} starts
 * a comment):
 * <pre>
 * backup       cron 0 2 * * *  for 1h  factor 3.0
 * thanksgiving from 2014-11-27 until 2014-11-28  factor 0.6
 * </pre>
 * Dates are UTC days or ISO-8601 instants; durations as {@link DurationText} reads them.
 */
public final class EventCalendar implements Calendar {

    private final List<CalendarEvent> events;

    private EventCalendar(List<CalendarEvent> events) {
        this.events = List.copyOf(events);
    }

    public static EventCalendar of(List<CalendarEvent> events) {
        return new EventCalendar(events);
    }

    /** Parses the text form; an error names the line and what was expected there. */
    public static EventCalendar parse(List<String> lines) {
        List<CalendarEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int comment = line.indexOf('#');
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            try {
                events.add(event(line.split("\\s+")));
            } catch (ForecastException e) {
                throw new ForecastException("calendar line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new EventCalendar(events);
    }

    public List<CalendarEvent> events() {
        return events;
    }

    @Override
    public double loadFactor(Instant t) {
        double factor = 1.0;
        for (CalendarEvent e : events) {
            if (e.covers(t)) {
                factor *= e.loadFactor();
            }
        }
        return factor;
    }

    @Override
    public boolean eventAt(Instant t) {
        for (CalendarEvent e : events) {
            if (e.covers(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Map<String, Double> factorsAt(Instant t) {
        Map<String, Double> factors = new HashMap<>();
        for (CalendarEvent e : events) {
            if (e.covers(t)) {
                factors.merge(e.name(), e.loadFactor(), (a, b) -> a * b);
            }
        }
        return factors;
    }

    private static CalendarEvent event(String[] w) {
        String usage = "expected '<name> cron <5 fields> for <duration> factor <number>'"
                + " or '<name> from <date> until <date> factor <number>'";
        if (w.length >= 2 && w[1].equals("cron")) {
            if (w.length != 11 || !w[7].equals("for") || !w[9].equals("factor")) {
                throw new ForecastException(usage + ", got " + w.length + " words");
            }
            Cron schedule = Cron.parse(String.join(" ", List.of(w).subList(2, 7)));
            Duration duration = DurationText.parse(w[8]);
            return new CalendarEvent.Recurring(w[0], schedule, duration, factor(w[10]));
        }
        if (w.length >= 2 && w[1].equals("from")) {
            if (w.length != 7 || !w[3].equals("until") || !w[5].equals("factor")) {
                throw new ForecastException(usage + ", got " + w.length + " words");
            }
            return new CalendarEvent.OneOff(w[0], instant(w[2]), instant(w[4]), factor(w[6]));
        }
        throw new ForecastException(usage);
    }

    private static Instant instant(String text) {
        return SampleCsv.timestamp(text);
    }

    private static double factor(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ForecastException("factor '" + text + "' is not a number");
        }
    }
}
