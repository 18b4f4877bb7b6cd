package io.dormouse.schedule;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Weekly windows (UTC) in which a VM must be awake, written {@code Mon-Fri 08:00-18:00},
 * {@code daily 22:00-06:00} (past midnight ends the next day) or {@code Sat,Sun 00:00-24:00}.
 * Held as minute-of-week intervals so that a check is a few integer comparisons.
 */
public final class AlwaysOnWindows {

    public static final AlwaysOnWindows NONE = new AlwaysOnWindows(List.of(), new int[0], new int[0]);

    private static final int DAY = 24 * 60;
    private static final int WEEK = 7 * DAY;
    private static final long WEEK_MILLIS = WEEK * 60_000L;

    private final List<String> texts;
    /** Sorted or not, [starts[i], ends[i]) in minutes since Monday 00:00, ends at most {@code 2 * WEEK}. */
    private final int[] starts;
    private final int[] ends;

    private AlwaysOnWindows(List<String> texts, int[] starts, int[] ends) {
        this.texts = texts;
        this.starts = starts;
        this.ends = ends;
    }

    /**
     * Parses every window of {@code texts}.
     *
     * @throws ScheduleException naming {@code alwaysOn}, the window and what is allowed
     */
    public static AlwaysOnWindows parse(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            return NONE;
        }
        List<String> canonical = new ArrayList<>();
        List<int[]> intervals = new ArrayList<>();
        for (String text : texts) {
            Parsed p = parseOne(text);
            canonical.add(p.canonical());
            for (DayOfWeek day : p.days()) {
                int start = (day.getValue() - 1) * DAY + p.from();
                intervals.add(new int[] {start, start + p.length()});
            }
        }
        return new AlwaysOnWindows(List.copyOf(canonical), intervals.stream().mapToInt(i -> i[0]).toArray(),
                intervals.stream().mapToInt(i -> i[1]).toArray());
    }

    /** The windows in their canonical text form, as given to {@link #parse}. */
    public List<String> texts() {
        return texts;
    }

    public boolean isEmpty() {
        return starts.length == 0;
    }

    /** Whether any part of {@code [fromMillis, untilMillis]} (epoch milliseconds) lies inside a window. */
    public boolean overlaps(long fromMillis, long untilMillis) {
        if (starts.length == 0) {
            return false;
        }
        if (untilMillis - fromMillis >= WEEK_MILLIS) {
            return true;
        }
        // Monday 1970-01-05 00:00 UTC is epoch minute 4 * DAY
        long from = Math.floorMod(Math.floorDiv(fromMillis, 60_000L) - 4L * DAY, (long) WEEK);
        long until = from + Math.floorDiv(untilMillis, 60_000L) - Math.floorDiv(fromMillis, 60_000L);
        for (int i = 0; i < starts.length; i++) {
            // a window reaching past Sunday midnight, or a span doing so, is checked a week later too
            if (intersects(from, until, starts[i], ends[i]) || intersects(from, until, starts[i] - WEEK, ends[i] - WEEK)
                    || intersects(from, until, starts[i] + WEEK, ends[i] + WEEK)) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(long epochMillis) {
        return overlaps(epochMillis, epochMillis);
    }

    private static boolean intersects(long from, long until, int start, int end) {
        return from < end && until >= start;
    }

    private record Parsed(Set<DayOfWeek> days, int from, int length, String canonical) {
    }

    private static Parsed parseOne(String text) {
        String trimmed = text == null ? "" : text.trim();
        String[] parts = trimmed.split("\\s+");
        if (parts.length != 2) {
            throw invalid(text, "expected days and a time range, as 'Mon-Fri 08:00-18:00' or 'daily 22:00-06:00'");
        }
        Set<DayOfWeek> days = days(parts[0], text);
        String[] range = parts[1].split("-");
        if (range.length != 2) {
            throw invalid(text, "expected a time range HH:MM-HH:MM, got '" + parts[1] + "'");
        }
        int from = minute(range[0], text);
        int until = minute(range[1], text);
        if (from == DAY) {
            throw invalid(text, "a window cannot start at 24:00");
        }
        int length = until > from ? until - from : until + DAY - from;
        String dayText = days.size() == 7 ? "daily" : String.join(",", days.stream()
                .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT)).toList());
        return new Parsed(days, from, length, dayText + " " + hhmm(from) + "-" + hhmm(until));
    }

    private static Set<DayOfWeek> days(String text, String window) {
        if (text.equalsIgnoreCase("daily")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",")) {
            String[] ends = item.split("-");
            if (ends.length > 2) {
                throw invalid(window, "expected a day or a day range, got '" + item + "'");
            }
            DayOfWeek first = day(ends[0], window);
            DayOfWeek last = ends.length == 2 ? day(ends[1], window) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String text, String window) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw invalid(window, "expected a day Mon, Tue, Wed, Thu, Fri, Sat, Sun or 'daily', got '" + text + "'");
    }

    private static int minute(String text, String window) {
        String[] hm = text.split(":");
        try {
            int h = Integer.parseInt(hm[0]);
            int m = hm.length == 2 ? Integer.parseInt(hm[1]) : -1;
            if (hm.length == 2 && h >= 0 && m >= 0 && m < 60 && (h < 24 || h == 24 && m == 0)) {
                return h * 60 + m;
            }
        } catch (NumberFormatException e) {
            // reported below with the window
        }
        throw invalid(window, "expected a time HH:MM from 00:00 to 24:00, got '" + text + "'");
    }

    private static String hhmm(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    private static ScheduleException invalid(String window, String why) {
        return new ScheduleException("alwaysOn", "alwaysOn window '" + window + "' is not valid: " + why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlwaysOnWindows other && other.texts.equals(texts);
    }

    @Override
    public int hashCode() {
        return texts.hashCode();
    }

    @Override
    public String toString() {
        return texts.toString();
    }
}
