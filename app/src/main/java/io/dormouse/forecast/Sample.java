package io.dormouse.forecast;

import java.time.Instant;

/** One measurement as it arrived: a timestamp and a value, before alignment to a step grid. */
public record Sample(Instant time, double value) {

    public Sample {
        if (time == null) {
            throw new ForecastException("sample time must not be null");
        }
    }
}
