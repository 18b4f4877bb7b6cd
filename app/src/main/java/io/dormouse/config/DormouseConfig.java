package io.dormouse.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The whole configuration of a dormouse server: immutable, validated when built, every key
 * with a default (see {@code docs/configuration.md}). Read it with {@link ConfigReader}.
 */
public record DormouseConfig(Path dataDir, LogConfig log, ApiConfig api, DnsConfig dns, DatabaseConfig database,
                             SnapshotConfig snapshot, VmConfig vm, TelemetryConfig telemetry,
                             ScheduleConfig schedule, FrontConfig front) {

    public DormouseConfig {
        Objects.requireNonNull(dataDir, "data-dir");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(front, "front");
        if (dataDir.toString().isBlank()) {
            throw new IllegalArgumentException("data-dir is empty; expected a directory path such as ./dormouse-data");
        }
    }

    /** The configuration used when no file, variable or flag says otherwise. */
    public static DormouseConfig defaults() {
        return new DormouseConfig(Path.of("dormouse-data"), LogConfig.DEFAULTS, ApiConfig.DEFAULTS,
                DnsConfig.DEFAULTS, DatabaseConfig.DEFAULTS, SnapshotConfig.DEFAULTS, VmConfig.DEFAULTS,
                TelemetryConfig.DEFAULTS, ScheduleConfig.DEFAULTS,
                FrontConfig.DEFAULTS);
    }
}
