package io.dormouse.telemetry;

import java.time.Instant;
import java.util.Objects;

/** One point of a series as read back: a raw sample's time, or the start of the step it summarizes. */
public record Point(Instant at, double value) {

    public Point {
        Objects.requireNonNull(at, "at");
    }
}
