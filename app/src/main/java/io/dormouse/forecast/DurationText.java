package io.dormouse.forecast;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them: {@code 2h}, {@code 30m}, {@code 1h30m}, {@code 7d}, {@code 90s}, or ISO-8601 {@code PT2H}. */
public final class DurationText {

    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    private DurationText() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ForecastException("duration is empty: expected for example 2h, 30m, 1h30m or PT2H");
        }
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new ForecastException("duration '" + text + "' is not ISO-8601 (for example PT2H)");
            }
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new ForecastException("duration '" + text + "' is not understood: expected for example 2h, 30m, 1h30m or PT2H");
        }
        return total;
    }

    /** The short form of {@code d}, for example {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        if (d.toDaysPart() > 0) {
            b.append(d.toDaysPart()).append('d');
        }
        if (d.toHoursPart() > 0) {
            b.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            b.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            b.append(d.toSecondsPart()).append('s');
        }
        return b.toString();
    }
}
