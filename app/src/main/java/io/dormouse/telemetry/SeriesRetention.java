package io.dormouse.telemetry;

import io.dormouse.state.MetricSamples;
import io.dormouse.state.Resolution;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compaction chore: deletes raw samples and rollup buckets past their retention. Rollups need no
 * computing here, the store keeps them as samples arrive; this only bounds how much history is kept.
 */
public final class SeriesRetention {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesRetention.class);

    private final MetricSamples store;
    private final Duration raw;
    private final Map<Resolution, Duration> rollups;

    public SeriesRetention(MetricSamples store, Duration raw, Duration fiveMinutes, Duration hourly) {
        this.store = store;
        this.raw = raw;
        this.rollups = Map.of(Resolution.FIVE_MINUTES, fiveMinutes, Resolution.HOUR, hourly);
    }

    /** Trims once; returns what was deleted. */
    public MetricSamples.Trimmed run() {
        MetricSamples.Trimmed trimmed = store.trim(raw, rollups);
        if (trimmed.samples() > 0 || trimmed.rollups() > 0) {
            LOG.atInfo().addKeyValue("samples", trimmed.samples()).addKeyValue("rollups", trimmed.rollups())
                    .log("metric history past its retention deleted");
        }
        return trimmed;
    }
}
