package io.dormouse.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps served from raw samples and from rollups, and the history forecasts read after retention. */
class MetricSeriesTest {

    static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

    @TempDir
    Path dir;
    StateStore store;
    MetricSeries reader;
    long web;

    @BeforeEach
    void open() {
        store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("state.db")), () -> T0);
        web = store.vms().insert(new NewVm("web-1", "running", "{}", null, null, 5, "standard")).id();
        reader = new MetricSeries(store.metricSamples());
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A sample a minute for two days: value = minute of the day, so every step's mean, max and sum are known. */
    void twoDaysOfMinutes() {
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 0; i < 2 * 1440; i++) {
            samples.add(new MetricSample(web, "demand", T0.plus(Duration.ofMinutes(i)), i % 1440));
        }
        store.metricSamples().append(samples);
    }

    @Test
    void eachStepIsServedByTheCoarsestRollupThatTilesIt() {
        assertThat(MetricSeries.resolutionFor(Duration.ofHours(2))).contains(Resolution.HOUR);
        assertThat(MetricSeries.resolutionFor(Duration.ofHours(1))).contains(Resolution.HOUR);
        assertThat(MetricSeries.resolutionFor(Duration.ofMinutes(15))).contains(Resolution.FIVE_MINUTES);
        assertThat(MetricSeries.resolutionFor(Duration.ofMinutes(90))).contains(Resolution.FIVE_MINUTES);
        assertThat(MetricSeries.resolutionFor(Duration.ofMinutes(7))).isEmpty();
        assertThat(MetricSeries.resolutionFor(Duration.ofSeconds(60))).isEmpty();
    }

    @Test
    void stepsAggregateByMeanMaxAndSumAtWholeSteps() {
        twoDaysOfMinutes();
        Instant to = T0.plus(Duration.ofDays(1));

        List<MetricSample> hours = reader.stepped(web, "demand", T0, to, Duration.ofHours(1), Aggregate.MEAN);
        assertThat(hours).hasSize(24);
        assertThat(hours.get(3)).isEqualTo(new MetricSample(web, "demand", T0.plus(Duration.ofHours(3)), 180 + 29.5));
        assertThat(reader.stepped(web, "demand", T0, to, Duration.ofHours(6), Aggregate.MAX))
                .extracting(MetricSample::value).containsExactly(359.0, 719.0, 1079.0, 1439.0);
        assertThat(reader.stepped(web, "demand", T0, to, Duration.ofMinutes(7), Aggregate.SUM).getFirst())
                .isEqualTo(new MetricSample(web, "demand", T0, 0 + 1 + 2 + 3 + 4 + 5 + 6));
        assertThat(reader.stepped(web, "demand", T0, to, Duration.ofDays(1), Aggregate.SUM))
                .containsExactly(new MetricSample(web, "demand", T0, 1439 * 1440 / 2.0));
    }

    @Test
    void rollupsAndRawSamplesGiveTheSameSteps() {
        twoDaysOfMinutes();
        Instant from = T0.plus(Duration.ofHours(5));
        Instant to = T0.plus(Duration.ofHours(9));

        for (Aggregate a : Aggregate.values()) {
            // 60 minutes from hourly rollups, 30 minutes from five-minute ones, 12 minutes from raw samples
            List<MetricSample> fromHours = reader.stepped(web, "demand", from, to, Duration.ofHours(1), a);
            List<MetricSample> fromFives = reader.stepped(web, "demand", from, to, Duration.ofMinutes(30), a);
            List<MetricSample> fromRaw = reader.stepped(web, "demand", from, to, Duration.ofMinutes(12), a);
            assertThat(fromHours).hasSize(4);
            assertThat(fromFives).hasSize(8);
            assertThat(fromRaw).hasSize(20);
            for (MetricSample hour : fromHours) {
                List<MetricSample> halves = fromFives.stream()
                        .filter(p -> !p.at().isBefore(hour.at()) && p.at().isBefore(hour.at().plusSeconds(3600))).toList();
                List<MetricSample> fifths = fromRaw.stream()
                        .filter(p -> !p.at().isBefore(hour.at()) && p.at().isBefore(hour.at().plusSeconds(3600))).toList();
                assertThat(hour.value()).as("%s of %s", a, hour.at()).isEqualTo(combine(a, halves))
                        .isEqualTo(combine(a, fifths));
            }
        }
    }

    private static double combine(Aggregate a, List<MetricSample> parts) {
        return switch (a) {
            case MEAN -> parts.stream().mapToDouble(MetricSample::value).average().orElseThrow();
            case MAX -> parts.stream().mapToDouble(MetricSample::value).max().orElseThrow();
            case SUM -> parts.stream().mapToDouble(MetricSample::value).sum();
        };
    }

    @Test
    void stepsWithoutSamplesAreLeftOut() {
        store.metricSamples().append(List.of(new MetricSample(web, "cpu", T0.plusSeconds(30), 1),
                new MetricSample(web, "cpu", T0.plus(Duration.ofHours(3)), 3)));

        assertThat(reader.stepped(web, "cpu", T0, T0.plus(Duration.ofDays(1)), Duration.ofHours(1), Aggregate.MEAN))
                .containsExactly(new MetricSample(web, "cpu", T0, 1), new MetricSample(web, "cpu", T0.plus(Duration.ofHours(3)), 3));
    }

    @Test
    void historyReachesPastTheRawRetentionThroughTheRollups() {
        twoDaysOfMinutes();
        Instant newest = T0.plus(Duration.ofMinutes(2 * 1440 - 1));
        store.metricSamples().trim(Duration.ofHours(6), java.util.Map.of(Resolution.FIVE_MINUTES, Duration.ofHours(12),
                Resolution.HOUR, Duration.ofDays(30)));

        List<MetricSample> history = reader.history(web, "demand", T0, newest.plusSeconds(1));

        assertThat(history.getFirst()).isEqualTo(new MetricSample(web, "demand", T0, 29.5));
        assertThat(history).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
        assertThat(history.stream().map(MetricSample::at).distinct().count()).isEqualTo(history.size());
        Instant rawFrom = newest.minus(Duration.ofHours(6));
        Instant fivesFrom = Instant.parse("2026-11-21T12:00:00Z");
        assertThat(history.stream().filter(p -> !p.at().isBefore(rawFrom))).hasSize(6 * 60 + 1);
        assertThat(history.stream().filter(p -> p.at().isBefore(rawFrom) && !p.at().isBefore(fivesFrom)))
                .as("five-minute buckets between the hourly ones and the raw samples")
                .hasSize((int) Duration.between(fivesFrom, rawFrom).toMinutes() / 5);
        assertThat(history.stream().filter(p -> p.at().isBefore(fivesFrom))).hasSize(36);
        assertThat(reader.raw(web, "demand", T0, newest.plusSeconds(1))).hasSize(6 * 60 + 1);
    }
}
