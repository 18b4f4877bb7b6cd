package io.dormouse.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollups and retention of metric history, the same on every state database. Each implementation's test
 * extends this class and supplies empty databases.
 */
abstract class MetricHistoryContract {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final Map<Resolution, Duration> KEEP = Map.of(Resolution.FIVE_MINUTES, Duration.ofDays(2),
            Resolution.HOUR, Duration.ofDays(3));

    /** Settings of a new, empty database for one test. */
    protected abstract DatabaseSettings freshDatabase();

    StateStore store;
    long web;
    long db;

    @BeforeEach
    void openStore() {
        store = StateStore.open(freshDatabase(), () -> T0);
        web = vm(store, "web-1");
        db = vm(store, "db-1");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static long vm(StateStore store, String name) {
        return store.vms().insert(new NewVm(name, "running", "{}", null, null, 5, "standard")).id();
    }

    /** One sample a minute for {@code minutes} minutes from {@code from}, valued by its minute of the hour. */
    static List<MetricSample> everyMinute(long vmId, String metric, Instant from, int minutes) {
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            Instant at = from.plus(Duration.ofMinutes(i));
            samples.add(new MetricSample(vmId, metric, at, at.getEpochSecond() / 60 % 60));
        }
        return samples;
    }

    @Test
    void appendedSamplesAreRolledUpIntoFiveMinuteAndHourBuckets() {
        store.metricSamples().append(everyMinute(web, "cpu", T0, 120));
        store.metricSamples().append(everyMinute(db, "cpu", T0, 10));

        List<MetricRollup> fives = store.metricSamples().rollups(web, "cpu", Resolution.FIVE_MINUTES, T0,
                T0.plus(Duration.ofHours(2)));
        assertThat(fives).hasSize(24);
        assertThat(fives.get(1)).isEqualTo(new MetricRollup(web, "cpu", Resolution.FIVE_MINUTES,
                T0.plus(Duration.ofMinutes(5)), 5, 5 + 6 + 7 + 8 + 9, 9));
        List<MetricRollup> hours = store.metricSamples().rollups(web, "cpu", Resolution.HOUR, T0,
                T0.plus(Duration.ofHours(2)));
        assertThat(hours).extracting(MetricRollup::start).containsExactly(T0, T0.plus(Duration.ofHours(1)));
        assertThat(hours.getFirst().samples()).isEqualTo(60);
        assertThat(hours.getFirst().mean()).isEqualTo(29.5);
        assertThat(hours.getFirst().peak()).isEqualTo(59);
        assertThat(store.metricSamples().rollups(db, "cpu", Resolution.HOUR, T0, T0.plus(Duration.ofHours(2))))
                .singleElement().satisfies(r -> assertThat(r.samples()).isEqualTo(10));
    }

    @Test
    void samplesAppendedAgainAreNotCountedTwice() {
        List<MetricSample> hour = everyMinute(web, "cpu", T0, 60);
        store.metricSamples().append(hour.subList(0, 40));
        store.metricSamples().append(hour.subList(0, 40));
        List<MetricSample> overlapping = new ArrayList<>(hour.subList(30, 60));
        overlapping.set(0, new MetricSample(web, "cpu", T0.plus(Duration.ofMinutes(30)), 1000));
        assertThat(store.metricSamples().append(overlapping)).isEqualTo(20);

        MetricRollup whole = store.metricSamples().rollups(web, "cpu", Resolution.HOUR, T0, T0.plusSeconds(1))
                .getFirst();
        assertThat(whole.samples()).isEqualTo(60);
        assertThat(whole.total()).isEqualTo(59 * 60 / 2.0);
        assertThat(whole.peak()).isEqualTo(59);
    }

    @Test
    void samplesBeforeTheEpochFallInTheBucketBelowThem() {
        Instant before = Instant.parse("1969-12-31T23:58:30Z");
        store.metricSamples().append(List.of(new MetricSample(web, "cpu", before, 4)));

        assertThat(store.metricSamples().rollups(web, "cpu", Resolution.FIVE_MINUTES, before.minus(Duration.ofHours(1)),
                Instant.EPOCH)).singleElement().satisfies(r ->
                assertThat(r.start()).isEqualTo(Instant.parse("1969-12-31T23:55:00Z")));
    }

    @Test
    void trimKeepsEachResolutionForItsRetentionBackFromTheSeriesNewestSample() {
        // four days of cpu up to T0, and an imported history of long ago for another metric
        Instant start = T0.minus(Duration.ofDays(4));
        store.metricSamples().append(everyMinute(web, "cpu", start, 4 * 24 * 60 + 1));
        Instant longAgo = Instant.parse("2015-03-01T00:00:00Z");
        store.metricSamples().append(everyMinute(web, "demand", longAgo, 3 * 60));

        MetricSamples.Trimmed trimmed = store.metricSamples().trim(Duration.ofDays(1), KEEP);

        List<MetricSample> raw = store.metricSamples().range(web, "cpu", start, T0.plusSeconds(1));
        assertThat(raw.getFirst().at()).isEqualTo(T0.minus(Duration.ofDays(1)));
        assertThat(raw.getLast().at()).isEqualTo(T0);
        List<MetricRollup> fives = store.metricSamples().rollups(web, "cpu", Resolution.FIVE_MINUTES, start,
                T0.plusSeconds(1));
        assertThat(fives.getFirst().start()).isEqualTo(T0.minus(Duration.ofDays(2)));
        assertThat(fives.getFirst().samples()).as("a kept bucket keeps every sample it summarized").isEqualTo(5);
        List<MetricRollup> hours = store.metricSamples().rollups(web, "cpu", Resolution.HOUR, start, T0.plusSeconds(1));
        assertThat(hours.getFirst().start()).isEqualTo(T0.minus(Duration.ofDays(3)));
        assertThat(trimmed.samples()).isEqualTo(3 * 24 * 60);
        assertThat(trimmed.rollups()).isEqualTo(2 * 24 * 12 + 24);

        assertThat(store.metricSamples().range(web, "demand", longAgo, longAgo.plus(Duration.ofDays(1))))
                .as("an old imported history stays: its own newest sample is the reference").hasSize(180);
        assertThat(store.metricSamples().trim(Duration.ofDays(1), KEEP)).isEqualTo(new MetricSamples.Trimmed(0, 0));
    }

    @Test
    void deletingAVmDeletesItsRollups() {
        store.metricSamples().append(everyMinute(web, "cpu", T0, 10));
        store.vms().delete(web);

        assertThat(store.metricSamples().rollups(web, "cpu", Resolution.FIVE_MINUTES, T0, T0.plusSeconds(3600)))
                .isEmpty();
    }

    @Test
    void migrationRollsUpSamplesStoredBeforeIt() throws SQLException {
        DatabaseSettings old = freshDatabase();
        Flyway.configure(getClass().getClassLoader())
                .dataSource(old.url(), old.user(), old.password())
                .locations(Dialect.of(old).migrationLocation())
                .target("1")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(old.url(), old.user(), old.password())) {
            c.createStatement().execute("INSERT INTO vms (name, state, spec, priority, sla_class, created_at,"
                    + " updated_at, version) VALUES ('old-1', 'running', '{}', 5, 'standard', 0, 0, 1)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO metric_samples (vm_id, metric, ts, value)"
                    + " SELECT id, 'cpu', ?, ? FROM vms WHERE name = 'old-1'")) {
                for (MetricSample s : everyMinute(0, "cpu", T0.minus(Duration.ofMinutes(7)), 14)) {
                    insert.setLong(1, s.at().toEpochMilli());
                    insert.setDouble(2, s.value());
                    insert.executeUpdate();
                }
            }
        }
        try (StateStore migrated = StateStore.open(old, () -> T0)) {
            long id = migrated.vms().find("old-1").orElseThrow().id();
            List<MetricRollup> fives = migrated.metricSamples().rollups(id, "cpu", Resolution.FIVE_MINUTES,
                    T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)));
            assertThat(fives).extracting(MetricRollup::samples).containsExactly(2L, 5L, 5L, 2L);
            assertThat(fives.get(1)).isEqualTo(new MetricRollup(id, "cpu", Resolution.FIVE_MINUTES,
                    T0.minus(Duration.ofMinutes(5)), 5, 55 + 56 + 57 + 58 + 59, 59));
            assertThat(migrated.metricSamples().rollups(id, "cpu", Resolution.HOUR, T0.minus(Duration.ofHours(1)),
                    T0.plus(Duration.ofHours(1)))).extracting(MetricRollup::samples).containsExactly(7L, 7L);
        }
    }
}
