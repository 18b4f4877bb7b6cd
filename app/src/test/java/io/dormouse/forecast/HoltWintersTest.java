package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HoltWintersTest {

    @Test
    void recoversDailyAndWeeklySeasonsToTheNoiseLevel() {
        Series all = Synthetic.seasonal(5 * Synthetic.WEEK, 2.0, 7);
        int train = 4 * Synthetic.WEEK;
        Forecaster.Model model = HoltWinters.create().fit(all.head(train), Calendar.EMPTY);

        double error = 0;
        int origins = 0;
        for (int origin = train; origin + 24 <= all.size(); origin += 24) {
            error += Synthetic.medianError(model.predict(all.head(origin), 24), all, origin);
            origins++;
        }

        // the mean absolute value of N(0, 2) is 2 * sqrt(2 / pi) = 1.60
        System.out.printf("holt-winters mean absolute error on 2 h forecasts: %.3f (noise 1.60)%n", error / origins);
        assertThat(error / origins).isLessThan(1.6 * 1.25);
    }

    @Test
    void beatsTheSeasonalNaiveAfterALevelShift() {
        Series all = Synthetic.series(3 * Synthetic.WEEK, 2.0, 11,
                i -> Synthetic.clean(i) + (i >= 2 * Synthetic.WEEK - Synthetic.DAY ? 40 : 0));
        int train = 2 * Synthetic.WEEK;
        Series history = all.head(train);

        double hw = Synthetic.medianError(HoltWinters.create().fit(history, Calendar.EMPTY).predict(history, 24), all, train);
        double naive = Synthetic.medianError(
                SeasonalNaive.previousWeek().fit(history, Calendar.EMPTY).predict(history, 24), all, train);

        assertThat(hw).isLessThan(naive / 4);
    }

    @Test
    void upperQuantilesCoverMostOutcomesAndWidenWithHorizon() {
        Series all = Synthetic.seasonal(3 * Synthetic.WEEK, 5.0, 3);
        int train = 2 * Synthetic.WEEK;
        Forecaster.Model model = HoltWinters.create().fit(all.head(train), Calendar.EMPTY);
        int covered = 0;
        int total = 0;
        for (int origin = train; origin + 24 <= all.size(); origin += 24) {
            Forecast f = model.predict(all.head(origin), 24);
            double[] q90 = f.quantile(0.9);
            for (int t = 0; t < 24; t++) {
                covered += all.at(origin + t) <= q90[t] ? 1 : 0;
                total++;
            }
            assertThat(q90[23] - f.quantile(0.5)[23]).isGreaterThanOrEqualTo(q90[0] - f.quantile(0.5)[0]);
        }
        assertThat((double) covered / total).isBetween(0.8, 0.97);
    }

    @Test
    void fitsTwoWeeksOfFiveMinuteDataQuickly() {
        Series history = Synthetic.seasonal(2 * Synthetic.WEEK, 3.0, 5);
        HoltWinters.create().fit(history, Calendar.EMPTY);
        long start = System.nanoTime();
        HoltWinters.create().fit(history, Calendar.EMPTY);
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("holt-winters fit of %d steps: %d us%n", history.size(), micros);
    }

    @Test
    void sameInputGivesIdenticalForecasts() {
        Series history = Synthetic.seasonal(2 * Synthetic.WEEK, 3.0, 5);
        Forecast a = HoltWinters.create().fit(history, Calendar.EMPTY).predict(history, 12);
        Forecast b = HoltWinters.create().fit(Synthetic.seasonal(2 * Synthetic.WEEK, 3.0, 5), Calendar.EMPTY)
                .predict(history, 12);
        assertThat(a.values()).isDeepEqualTo(b.values());
    }

    @Test
    void toleratesMissingStepsAndRefusesTooShortHistory() {
        double[] v = Synthetic.seasonal(2 * Synthetic.WEEK, 1.0, 9).values().clone();
        for (int i = 1000; i < 1100; i++) {
            v[i] = Double.NaN;
        }
        Series gappy = new Series(Synthetic.START, Synthetic.STEP, v);
        Forecast f = HoltWinters.create().fit(gappy, Calendar.EMPTY).predict(gappy, 6);
        assertThat(java.util.Arrays.stream(f.quantile(0.5)).allMatch(Double::isFinite)).isTrue();

        Series single = new Series(Synthetic.START, Synthetic.STEP, new double[] {1.0});
        assertThatThrownBy(() -> HoltWinters.create().fit(single, Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("needs at least 2 days of history (576 steps of PT5M), got 1");
    }

    @Test
    void forecastsTheSameWhetherTheContextExtendsTheHistoryOrNot() {
        Series all = Synthetic.seasonal(3 * Synthetic.WEEK, 2.0, 13);
        Series history = all.head(2 * Synthetic.WEEK);
        Forecaster.Model model = HoltWinters.create().fit(history, Calendar.EMPTY);
        Series context = all.head(2 * Synthetic.WEEK + 100);
        double[] revised = context.values().clone();
        revised[10] += 1e-9;

        Forecast fromEnd = model.predict(context, 24);
        Forecast replayed = model.predict(new Series(context.start(), context.step(), revised), 24);

        assertThat(fromEnd.quantile(0.5)).containsExactly(replayed.quantile(0.5), org.assertj.core.api.Assertions.within(1e-6));
    }
}
