package io.dormouse;

import io.dormouse.config.TelemetryConfig;
import io.dormouse.state.MetricSamples;
import io.dormouse.state.Resolution;
import io.dormouse.state.StateStore;
import io.dormouse.telemetry.ActivitySource;
import io.dormouse.telemetry.DnsQueryCounts;
import io.dormouse.telemetry.Sampler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-VM telemetry as the server runs it, as chores of the VM parts: sampling every VM, and deleting
 * history past its retention (the rollups need no chore: the store keeps them as samples arrive).
 */
final class VmTelemetry {

    private static final Logger LOG = LoggerFactory.getLogger(VmTelemetry.class);

    private VmTelemetry() {
    }

    /**
     * Starts sampling every {@code telemetry.interval} and trimming every {@code telemetry.compact-interval}.
     *
     * @param traffic front-door traffic per VM
     */
    static void start(TelemetryConfig config, StateStore store, VmParts vms, DnsQueryCounts queries,
                      ActivitySource traffic, MeterRegistry registry) {
        Sampler sampler = Sampler.create(new FleetProcesses(vms.fleet, vms.hypervisor), traffic, queries,
                new StoredSamples(store.metricSamples()), registry, InstantSource.system());
        vms.chore("telemetry", config.interval(), sampler::round);
        vms.chore("telemetry-retention", config.compactInterval(),
                () -> trim(store.metricSamples(), config.retention()));
    }

    private static void trim(MetricSamples samples, TelemetryConfig.Retention keep) {
        MetricSamples.Trimmed trimmed = samples.trim(keep.raw(), Map.of(Resolution.FIVE_MINUTES, keep.fiveMinutes(),
                Resolution.HOUR, keep.hourly()));
        if (trimmed.samples() > 0 || trimmed.rollups() > 0) {
            LOG.atInfo().addKeyValue("samples", trimmed.samples()).addKeyValue("rollups", trimmed.rollups())
                    .log("metric history past its retention deleted");
        }
    }
}
