package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Log output: one line per event, {@code text} (key=value) for people or {@code json} for machines. */
public record LogConfig(Format format, String level) {

    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    static final LogConfig DEFAULTS = new LogConfig(Format.TEXT, "info");

    public LogConfig {
        Objects.requireNonNull(format, "format");
        level = level == null ? "" : level.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level \"" + level + "\" is not one of error, warn, info, debug, trace");
        }
    }

    /** How log lines are written. */
    public enum Format {
        TEXT, JSON;

        @JsonCreator
        public static Format parse(String text) {
            return Choices.parse(Format.class, text);
        }

        @JsonValue
        @Override
        public String toString() {
            return Choices.word(this);
        }
    }
}
