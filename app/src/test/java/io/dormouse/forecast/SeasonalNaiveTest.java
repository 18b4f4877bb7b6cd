package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeasonalNaiveTest {

    @Test
    void repeatsThePreviousDayWeekOrTheLargerOfBoth() {
        double[] v = new double[Synthetic.WEEK + 10];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % Synthetic.DAY;
        }
        v[Synthetic.WEEK + 10 - Synthetic.WEEK] = 1000;
        Series s = new Series(Synthetic.START, Synthetic.STEP, v);

        double[] day = SeasonalNaive.previousDay().fit(s, Calendar.EMPTY).predict(s, 3).quantile(0.5);
        double[] week = SeasonalNaive.previousWeek().fit(s, Calendar.EMPTY).predict(s, 3).quantile(0.5);
        double[] max = SeasonalNaive.maxOfDayAndWeek().fit(s, Calendar.EMPTY).predict(s, 3).quantile(0.5);

        // in-sample errors are all zero except around the spike, so the median offset is zero
        assertThat(day).containsExactly(10, 11, 12);
        assertThat(week).containsExactly(1000, 11, 12);
        assertThat(max).containsExactly(1000, 11, 12);
    }

    @Test
    void recoversASeasonalSeriesWithErrorsNearTheNoise() {
        Series all = Synthetic.seasonal(3 * Synthetic.WEEK, 2.0, 21);
        int train = 2 * Synthetic.WEEK;
        Forecast f = SeasonalNaive.previousWeek().fit(all.head(train), Calendar.EMPTY).predict(all.head(train), 288);

        // the difference of two N(0, 2) has mean absolute value 2 * sqrt(2) * sqrt(2 / pi) = 2.26
        assertThat(Synthetic.medianError(f, all, train)).isCloseTo(2.26, within(0.4));
        double[] q90 = f.quantile(0.9);
        long covered = java.util.stream.IntStream.range(0, 288).filter(t -> all.at(train + t) <= q90[t]).count();
        assertThat(covered / 288.0).isBetween(0.8, 0.97);
    }

    @Test
    void forecastsZerosForAnIdleSeriesAndNeverBelowZero() {
        Series zeros = new Series(Synthetic.START, Synthetic.STEP, new double[2 * Synthetic.DAY]);
        Forecast f = SeasonalNaive.previousDay().fit(zeros, Calendar.EMPTY).predict(zeros, 12);

        for (double level : Forecast.LEVELS) {
            assertThat(f.quantile(level)).containsOnly(0.0);
        }
    }

    @Test
    void fillsMissingLagValuesFromEarlierSeasons() {
        double[] v = new double[3 * Synthetic.DAY];
        Arrays.fill(v, 5);
        v[3 * Synthetic.DAY - Synthetic.DAY] = Double.NaN;
        Series s = new Series(Synthetic.START, Synthetic.STEP, v);

        assertThat(SeasonalNaive.previousDay().fit(s, Calendar.EMPTY).predict(s, 1).quantile(0.5)).containsExactly(5);
    }

    @Test
    void refusesAHistoryShorterThanItsSeason() {
        Series s = Synthetic.seasonal(Synthetic.WEEK, 1, 1);
        assertThatThrownBy(() -> SeasonalNaive.previousWeek().fit(s, Calendar.EMPTY))
                .isInstanceOf(ForecastException.class)
                .hasMessage("naive-week needs more than 2016 steps of history (1 week of PT5M), got 2016");
    }
}
