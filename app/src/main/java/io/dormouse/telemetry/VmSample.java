package io.dormouse.telemetry;

import java.time.Instant;
import java.util.Objects;

/** One value of one VM's metric, taken by the {@link Sampler} at {@code at}. */
public record VmSample(long vmId, VmMetric metric, Instant at, double value) {

    public VmSample {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(at, "at");
    }
}
