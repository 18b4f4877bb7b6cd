package io.dormouse.state;

import java.time.Instant;

/** One observation of one metric of one VM (for example {@code connections} = 3 at 12:00:05). */
public record MetricSample(long vmId, String metric, Instant at, double value) {

    public MetricSample {
        Require.text("metric", metric);
        if (at == null) {
            throw new IllegalArgumentException("time of metric " + metric + " of VM " + vmId + " is missing");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value of metric " + metric + " of VM " + vmId + " at " + at
                    + " must be finite, got " + value);
        }
    }
}
