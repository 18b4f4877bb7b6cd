package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTest {

    private static final Duration FIVE = Duration.ofMinutes(5);

    private static Sample at(String time, double value) {
        return new Sample(Instant.parse(time), value);
    }

    @Test
    void alignsIrregularSamplesToTheGridAndAggregatesWithinAStep() {
        List<Sample> samples = List.of(
                at("2024-01-01T00:02:00Z", 1),
                at("2024-01-01T00:04:59Z", 3),
                at("2024-01-01T00:05:00Z", 10),
                at("2024-01-01T00:13:30Z", 20));

        Series mean = Series.fromSamples(samples, FIVE, Aggregation.MEAN, GapPolicy.refuse());
        Series sum = Series.fromSamples(samples, FIVE, Aggregation.SUM, GapPolicy.refuse());

        assertThat(mean.start()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(mean.values()).containsExactly(2, 10, 20);
        assertThat(sum.values()).containsExactly(4, 10, 20);
        assertThat(Series.fromSamples(samples, FIVE, Aggregation.MAX, GapPolicy.refuse()).values()).containsExactly(3, 10, 20);
        assertThat(Series.fromSamples(samples, FIVE, Aggregation.LAST, GapPolicy.refuse()).values()).containsExactly(3, 10, 20);
    }

    @Test
    void gapPoliciesRefuseMarkOrInterpolateUpToTheirLimit() {
        List<Sample> samples = List.of(
                at("2024-01-01T00:00:00Z", 0),
                at("2024-01-01T00:10:00Z", 10),
                at("2024-01-01T00:30:00Z", 30));

        assertThatThrownBy(() -> Series.fromSamples(samples, FIVE, Aggregation.MEAN, GapPolicy.refuse()))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("no sample from 2024-01-01T00:05:00Z to 2024-01-01T00:10:00Z (1 steps of PT5M)");

        assertThat(Series.fromSamples(samples, FIVE, Aggregation.MEAN, GapPolicy.markMissing()).values())
                .containsExactly(0, Double.NaN, 10, Double.NaN, Double.NaN, Double.NaN, 30);

        assertThat(Series.fromSamples(samples, FIVE, Aggregation.MEAN, GapPolicy.interpolate(1)).values())
                .containsExactly(0, 5, 10, Double.NaN, Double.NaN, Double.NaN, 30);
        assertThat(Series.fromSamples(samples, FIVE, Aggregation.MEAN, GapPolicy.interpolate(3)).values())
                .containsExactly(0, 5, 10, 15, 20, 25, 30);
    }

    @Test
    void refusesEmptyNonFiniteAndUnorderedSamplesNamingTheSample() {
        assertThatThrownBy(() -> Series.fromSamples(List.of(), FIVE, Aggregation.MEAN, GapPolicy.refuse()))
                .isInstanceOf(ForecastException.class).hasMessageContaining("no samples");
        assertThatThrownBy(() -> Series.fromSamples(
                List.of(at("2024-01-01T00:00:00Z", 1), at("2024-01-01T00:05:00Z", Double.NaN)),
                FIVE, Aggregation.MEAN, GapPolicy.refuse()))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("sample 1 at 2024-01-01T00:05:00Z has value NaN");
        assertThatThrownBy(() -> Series.fromSamples(
                List.of(at("2024-01-01T00:00:00Z", 1), at("2024-01-01T00:05:00Z", Double.POSITIVE_INFINITY)),
                FIVE, Aggregation.MEAN, GapPolicy.refuse()))
                .hasMessageContaining("has value Infinity");
        assertThatThrownBy(() -> Series.fromSamples(
                List.of(at("2024-01-01T00:05:00Z", 1), at("2024-01-01T00:00:00Z", 2)),
                FIVE, Aggregation.MEAN, GapPolicy.refuse()))
                .hasMessageContaining("sample 1 at 2024-01-01T00:00:00Z is earlier than sample 0");
    }

    @Test
    void aSinglePointMakesASeriesThatModelsRefuseWithTheirReason() {
        Series one = Series.fromSamples(List.of(at("2024-01-01T00:00:00Z", 4)), FIVE, Aggregation.MEAN, GapPolicy.refuse());

        assertThat(one.size()).isEqualTo(1);
        assertThatThrownBy(() -> SeasonalNaive.previousDay().fit(one, Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("naive-day needs more than 288 steps of history (1 day of PT5M), got 1");
        assertThatThrownBy(() -> Series.typicalStep(List.of(at("2024-01-01T00:00:00Z", 4))))
                .hasMessageContaining("need at least 2 samples to infer the step");
    }

    @Test
    void typicalStepIsTheMostFrequentInterval() {
        List<Sample> samples = List.of(
                at("2024-01-01T00:00:00Z", 1), at("2024-01-01T00:05:00Z", 1), at("2024-01-01T00:10:00Z", 1),
                at("2024-01-01T00:17:00Z", 1), at("2024-01-01T00:22:00Z", 1));

        assertThat(Series.typicalStep(samples)).isEqualTo(FIVE);
    }

    @Test
    void keepsZerosAsValues() {
        Series zeros = Series.fromSamples(List.of(at("2024-01-01T00:00:00Z", 0), at("2024-01-01T00:05:00Z", 0)),
                FIVE, Aggregation.SUM, GapPolicy.refuse());

        assertThat(zeros.values()).containsExactly(0, 0);
    }
}
