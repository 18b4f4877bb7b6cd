package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;

/**
 * A five-field cron schedule, {@code minute hour day-of-month month day-of-week}, evaluated in UTC.
 * Fields take {@code *}, numbers, ranges {@code a-b}, lists {@code a,b} and steps {@code a-b/n}
 * (also after a star or a single start value); months and days of week also take names ({@code JAN}, {@code MON}); day of week 0
 * and 7 are Sunday. As in Vixie cron, when both day fields are restricted a day matching either counts.
 */
public final class Cron {

    private static final List<String> FIELDS = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String text, String[] f) {
        this.text = text;
        minutes = field(f[0], 0, 0, 59, List.of());
        hours = field(f[1], 1, 0, 23, List.of());
        daysOfMonth = field(f[2], 2, 1, 31, List.of());
        months = field(f[3], 3, 1, 12, MONTHS);
        BitSet dow = field(f[4], 4, 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
        }
        daysOfWeek = dow;
        anyDayOfMonth = f[2].equals("*");
        anyDayOfWeek = f[4].equals("*");
    }

    /** Parses {@code text}, for example {@code 0 2 * * *} (every day at 02:00 UTC). */
    public static Cron parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ForecastException("cron schedule is empty: expected 5 fields (" + String.join(" ", FIELDS) + ")");
        }
        String[] fields = text.strip().split("\\s+");
        if (fields.length != 5) {
            throw new ForecastException("cron '" + text + "' has " + fields.length + " fields, expected 5 ("
                    + String.join(" ", FIELDS) + ")");
        }
        return new Cron(text.strip(), fields);
    }

    /** Whether the schedule fires at the minute containing {@code t}. */
    public boolean matches(Instant t) {
        LocalDateTime m = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        return dayMatches(m.toLocalDate()) && hours.get(m.getHour()) && minutes.get(m.getMinute());
    }

    /** Whether the schedule fired at some minute in {@code (t - window, t]}. */
    public boolean firedWithin(Instant t, Duration window) {
        LocalDateTime at = LocalDateTime.ofInstant(t, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime after = LocalDateTime.ofInstant(t.minus(window), ZoneOffset.UTC);
        while (at.isAfter(after)) {
            if (!dayMatches(at.toLocalDate())) {
                at = at.toLocalDate().atStartOfDay().minusMinutes(1);
            } else if (!hours.get(at.getHour())) {
                at = at.truncatedTo(ChronoUnit.HOURS).minusMinutes(1);
            } else if (minutes.get(at.getMinute())) {
                return true;
            } else {
                at = at.minusMinutes(1);
            }
        }
        return false;
    }

    private boolean dayMatches(LocalDate d) {
        if (!months.get(d.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(d.getDayOfMonth());
        boolean dow = daysOfWeek.get(d.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    private BitSet field(String spec, int index, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : spec.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), index, 1, max, List.of(), part);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max == 7 ? 6 : max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw error(index, part, "a range is two values joined by '-'");
                }
                from = number(ends[0], index, min, max, names, part);
                to = number(ends[1], index, min, max, names, part);
                if (to < from) {
                    throw error(index, part, "range runs backwards");
                }
            } else {
                from = number(range, index, min, max, names, part);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private int number(String s, int index, int min, int max, List<String> names, String part) {
        int named = names.indexOf(s.toUpperCase(java.util.Locale.ROOT));
        if (named >= 0) {
            return named + (names == MONTHS ? 1 : 0);
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error(index, part, "'" + s + "' is not a number" + (names.isEmpty() ? "" : " or a name like " + names.get(1)));
        }
        if (v < min || v > max) {
            throw error(index, part, v + " is out of range " + min + "-" + max);
        }
        return v;
    }

    private ForecastException error(int index, String part, String why) {
        return new ForecastException("cron '" + text + "': " + FIELDS.get(index) + " field '" + part + "': " + why);
    }

    /** Schedules are equal when they fire at the same minutes, however they are written. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Cron c && minutes.equals(c.minutes) && hours.equals(c.hours)
                && daysOfMonth.equals(c.daysOfMonth) && months.equals(c.months) && daysOfWeek.equals(c.daysOfWeek)
                && anyDayOfMonth == c.anyDayOfMonth && anyDayOfWeek == c.anyDayOfWeek;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(minutes, hours, daysOfMonth, months, daysOfWeek, anyDayOfMonth, anyDayOfWeek);
    }

    @Override
    public String toString() {
        return text;
    }
}
