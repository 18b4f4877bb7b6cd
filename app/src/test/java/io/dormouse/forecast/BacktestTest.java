package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class BacktestTest {

    private static final Duration DAY = Duration.ofDays(1);

    /** {@code y[i] = i²} at daily steps: a day is one step, a week seven. */
    private static Series squares(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (double) i * i;
        }
        return new Series(Synthetic.START, DAY, v);
    }

    /** Train on 10 of 20 steps, forecast one step from each of the 10 origins; idle below 150 for one step. */
    private static Backtest tiny(LongSupplier clock) {
        return new Backtest(new BacktestPlan(0.5, DAY, DAY, new IdleQuery(150, DAY, DAY, 0.9)), clock);
    }

    private static LongSupplier ticking() {
        long[] now = {0};
        return () -> now[0] += 1000;
    }

    @Test
    void pinballLossIsTheQuantileLoss() {
        assertThat(ScoreSheet.pinball(0.9, 10, 8)).isCloseTo(1.8, within(1e-12));
        assertThat(ScoreSheet.pinball(0.9, 8, 10)).isCloseTo(0.2, within(1e-12));
        assertThat(ScoreSheet.pinball(0.5, 8, 10)).isEqualTo(1.0);
    }

    @Test
    void scoresAConstantForecastAsComputedByHand() {
        List<ModelScore> scores = tiny(ticking()).run(
                List.of(Fakes.constant("hundred", 100), SeasonalNaive.previousWeek()), squares(20), Calendar.EMPTY);
        ModelScore s = scores.getFirst();

        // actuals 100, 121, ..., 361 exceed 100 by 1185 in total over 10 origins
        assertThat(s.origins()).isEqualTo(10);
        assertThat(s.pinball()).containsExactly(new double[] {0.5 * 118.5, 0.9 * 118.5, 0.99 * 118.5}, within(1e-9));
        // in-sample previous-day error: mean of 2t - 1 for t = 1..9 = 9
        assertThat(s.mase()).isCloseTo(118.5 / 9, within(1e-9));
        assertThat(s.coverage90()).isEqualTo(0.1);
        assertThat(s.coverage99()).isEqualTo(0.1);
        // idle (below 150) at origins 10, 11, 12; predicted idle everywhere
        assertThat(s.idlePrecision()).isCloseTo(0.3, within(1e-12));
        assertThat(s.idleRecall()).isEqualTo(1.0);
        ModelScore naive = scores.get(1);
        for (int q = 0; q < 3; q++) {
            assertThat(s.scaledPinball()[q]).isCloseTo(s.pinball()[q] / naive.pinball()[q], within(1e-12));
            assertThat(naive.scaledPinball()[q]).isEqualTo(1.0);
        }
        assertThat(s.failure()).isEmpty();
    }

    @Test
    void measuresTimesWithTheInjectedClock() {
        ModelScore s = tiny(ticking()).run(Fakes.constant("c", 1), squares(20), Calendar.EMPTY);

        assertThat(s.fitMillis()).isEqualTo(0.001);
        assertThat(s.predictMicros()).isEqualTo(1.0);
    }

    @Test
    void sameSeriesGivesIdenticalScores() {
        Series s = Synthetic.seasonal(3 * Synthetic.WEEK, 3, 17);
        Backtest backtest = new Backtest(BacktestPlan.of(Duration.ofHours(2), IdleQuery.below(80)), () -> 0L);

        List<ModelScore> a = backtest.run(Forecasters.all(), s, Calendar.EMPTY);
        List<ModelScore> b = backtest.run(Forecasters.all(), s, Calendar.EMPTY);

        assertThat(a).isEqualTo(b);
        assertThat(a).allMatch(ModelScore::ok);
    }

    @Test
    void reportsAModelThatCannotFitAndRefusesASeriesWithoutOrigins() {
        ModelScore failed = tiny(ticking()).run(Fakes.failing("broken"), squares(20), Calendar.EMPTY);

        assertThat(failed.ok()).isFalse();
        assertThat(failed.failure()).isEqualTo("broken cannot fit");
        assertThatThrownBy(() -> tiny(ticking()).run(Fakes.constant("c", 1), squares(1), Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("series of 1 steps leaves no forecast origin");
    }

    @Test
    void missingActualsAreLeftOut() {
        Series s = squares(20);
        double[] v = s.values().clone();
        for (int i = 11; i < 20; i++) {
            v[i] = Double.NaN;
        }
        ModelScore score = tiny(ticking()).run(Fakes.constant("c", 100), new Series(s.start(), DAY, v), Calendar.EMPTY);

        assertThat(score.pinball()[0]).isZero();
        assertThat(score.coverage90()).isEqualTo(1.0);
    }
}
