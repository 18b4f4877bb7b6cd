package io.dormouse.state;

import java.time.Instant;
import java.util.Objects;

/**
 * The samples of one metric of one VM that fell in one bucket, summarized: how many, their sum and their
 * maximum. Exact to aggregate further: means weigh by {@code samples}.
 *
 * @param start the bucket's start; it ends one {@link Resolution#length()} later (exclusive)
 */
public record MetricRollup(long vmId, String metric, Resolution resolution, Instant start, long samples, double total,
                           double peak) {

    public MetricRollup {
        Require.text("metric", metric);
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(start, "start");
        if (samples < 1) {
            throw new IllegalArgumentException("samples of a rollup of metric " + metric + " must be at least 1, got "
                    + samples);
        }
    }

    public double mean() {
        return total / samples;
    }
}
