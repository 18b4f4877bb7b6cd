package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.MetricSample;
import io.dormouse.state.NewVm;
import io.dormouse.state.StateStore;
import io.dormouse.telemetry.VmMetric;
import io.dormouse.telemetry.VmSample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry's samples into a real SQLite state database. */
class StoredSamplesTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aVmDeletedDuringTheRoundDoesNotCostTheOthersTheirSamples() {
        try (StateStore store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("state.db")), () -> T0)) {
            long web = store.vms().insert(new NewVm("web-1", "running", "{}", null, null, 5, "standard")).id();
            long db = store.vms().insert(new NewVm("db-1", "running", "{}", null, null, 5, "standard")).id();
            store.vms().delete(db);

            new StoredSamples(store.metricSamples()).store(List.of(new VmSample(web, VmMetric.DEMAND, T0, 4),
                    new VmSample(db, VmMetric.DEMAND, T0, 1), new VmSample(web, VmMetric.CPU, T0, 0.25)));

            assertThat(store.metricSamples().range(web, "demand", T0, T0.plusSeconds(1)))
                    .containsExactly(new MetricSample(web, "demand", T0, 4));
            assertThat(store.metricSamples().range(web, "cpu", T0, T0.plusSeconds(1))).hasSize(1);
        }
    }
}
