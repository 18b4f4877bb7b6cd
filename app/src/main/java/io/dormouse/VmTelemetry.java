package io.dormouse;

import io.dormouse.config.TelemetryConfig;
import io.dormouse.state.StateStore;
import io.dormouse.telemetry.ActivitySource;
import io.dormouse.telemetry.DnsQueryCounts;
import io.dormouse.telemetry.Sampler;
import io.dormouse.telemetry.SeriesRetention;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;

/** Per-VM telemetry as the server runs it: the sampling and the retention chores of the VM parts. */
final class VmTelemetry {

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
                store.metricSamples(), registry, InstantSource.system());
        TelemetryConfig.Retention keep = config.retention();
        SeriesRetention retention = new SeriesRetention(store.metricSamples(), keep.raw(), keep.fiveMinutes(),
                keep.hourly());
        vms.chore("telemetry", config.interval(), sampler::round);
        vms.chore("telemetry-retention", config.compactInterval(), retention::run);
    }
}
