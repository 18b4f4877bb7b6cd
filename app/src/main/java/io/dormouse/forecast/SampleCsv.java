package io.dormouse.forecast;

import java.io.BufferedReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Parses {@code timestamp,value} text into samples. Timestamps are {@code YYYY-MM-DD HH:MM:SS}
 * (UTC) or ISO-8601 (with an offset or {@code Z}; without one, UTC). An optional header line
 * {@code timestamp,value}, blank lines and lines starting with {@code #} are skipped. A malformed
 * row is reported with its line number.
 */
public final class SampleCsv {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SampleCsv() {
    }

    /** Reads all of {@code reader}; the caller closes it. */
    public static List<Sample> parse(Reader reader) {
        try {
            return parse(new BufferedReader(reader).lines());
        } catch (UncheckedIOException e) {
            throw new ForecastException("cannot read samples: " + e.getCause().getMessage());
        }
    }

    /** Parses {@code lines}, the first being line 1. */
    public static List<Sample> parse(Stream<String> lines) {
        List<Sample> samples = new ArrayList<>();
        int[] lineNumber = {0};
        lines.forEachOrdered(line -> {
            lineNumber[0]++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")
                    || (lineNumber[0] == 1 && trimmed.equalsIgnoreCase("timestamp,value"))) {
                return;
            }
            samples.add(row(trimmed, lineNumber[0]));
        });
        return samples;
    }

    /** Parses {@code text} as a whole. */
    public static List<Sample> parse(String text) {
        return parse(text.lines());
    }

    private static Sample row(String line, int number) {
        String[] fields = line.split(",", -1);
        if (fields.length != 2) {
            throw malformed(number, line, "expected 2 fields timestamp,value, found " + fields.length);
        }
        Instant time;
        try {
            time = timestamp(fields[0].strip());
        } catch (ForecastException e) {
            throw malformed(number, line, e.getMessage());
        }
        double value;
        try {
            value = Double.parseDouble(fields[1].strip());
        } catch (NumberFormatException e) {
            throw malformed(number, line, "value '" + fields[1].strip() + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw malformed(number, line, "value " + fields[1].strip() + " is not finite");
        }
        return new Sample(time, value);
    }

    /** Reads a timestamp in any of the accepted forms; a bare date is midnight UTC. */
    static Instant timestamp(String text) {
        try {
            if (text.length() == 19 && text.charAt(10) == ' ') {
                return LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC);
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ForecastException("timestamp '" + text + "' is neither YYYY-MM-DD HH:MM:SS nor ISO-8601");
        }
    }

    private static ForecastException malformed(int number, String line, String why) {
        return new ForecastException("line " + number + ": " + why + " (row '" + line + "')");
    }
}
