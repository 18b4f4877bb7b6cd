package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventEffectsTest {

    private static final double TRUE_EFFECT = 1.6;
    private static final int[] PROMO_DAYS = {3, 10, 15};

    private static Instant day(int d) {
        return Synthetic.START.plus(Duration.ofDays(d));
    }

    /** Promotions on days 3, 10 and 15 multiply demand by 1.6; they are declared at 1.2. */
    private static EventCalendar promotions() {
        return EventCalendar.of(java.util.Arrays.stream(PROMO_DAYS)
                .mapToObj(d -> (CalendarEvent) new CalendarEvent.OneOff("promo", day(d), day(d + 1), 1.2))
                .toList());
    }

    private static Series withPromotions() {
        return Synthetic.series(3 * Synthetic.WEEK, 2.0, 99, i -> {
            int d = i / Synthetic.DAY;
            boolean promo = d == 3 || d == 10 || d == 15;
            return Synthetic.clean(i) * (promo ? TRUE_EFFECT : 1);
        });
    }

    @Test
    void learnsTheEffectOfEventsThatOccurredInHistory() {
        Series history = withPromotions().head(15 * Synthetic.DAY);

        EventEffects effects = EventEffects.learn(history, promotions());

        assertThat(effects.learned("promo")).isCloseTo(TRUE_EFFECT, within(0.03));
        assertThat(effects.factorAt(day(15).plusSeconds(60))).isCloseTo(TRUE_EFFECT, within(0.03));
        assertThat(effects.learned("unknown")).isNull();
    }

    @Test
    void usesTheDeclaredFactorForEventsNeverSeen() {
        Series history = withPromotions().head(3 * Synthetic.DAY);

        assertThat(EventEffects.learn(history, promotions()).factorAt(day(3))).isEqualTo(1.2);
    }

    @Test
    void eventAwareForecastsHaveLowerErrorOnEventDays() {
        Series all = withPromotions();
        int promoDay = 15 * Synthetic.DAY;
        Series history = all.head(promoDay);

        for (Forecaster model : List.<Forecaster>of(HoltWinters.create(), SeasonalNaive.previousWeek(),
                SeasonalNaive.previousDay(), SeasonalNaive.maxOfDayAndWeek())) {
            double plain = Synthetic.medianError(model.fit(history, Calendar.EMPTY).predict(history, Synthetic.DAY), all, promoDay);
            double aware = Synthetic.medianError(model.fit(history, promotions()).predict(history, Synthetic.DAY), all, promoDay);

            assertThat(aware).as(model.name()).isLessThan(plain / 3);
        }
    }

    @Test
    void eventsInHistoryDoNotPolluteTheSeasonalShape() {
        Series all = withPromotions();
        int weekAfterPromo = 17 * Synthetic.DAY;
        Series history = all.head(weekAfterPromo);
        Forecaster naiveWeek = SeasonalNaive.previousWeek();

        double plain = Synthetic.medianError(naiveWeek.fit(history, Calendar.EMPTY).predict(history, Synthetic.DAY),
                all, weekAfterPromo);
        double aware = Synthetic.medianError(naiveWeek.fit(history, promotions()).predict(history, Synthetic.DAY),
                all, weekAfterPromo);

        assertThat(aware).isLessThan(plain / 3);
    }

    /** A job every third day of the month at 02:00 for two hours that triples demand. */
    private static final Cron EVERY_THIRD_DAY = Cron.parse("0 2 */3 * *");

    private static Series withJob(Cron schedule, double effect) {
        return Synthetic.series(4 * Synthetic.WEEK, 2.0, 5, i -> {
            Instant t = Synthetic.START.plus(Synthetic.STEP.multipliedBy(i));
            return Synthetic.clean(i) * (schedule.firedWithin(t, Duration.ofHours(2)) ? effect : 1);
        });
    }

    @Test
    void learnsTheEffectOfARecurringJobEvenWhenItRunsEveryNight() {
        Cron nightly = Cron.parse("0 2 * * *");
        Series history = withJob(nightly, 3.0);
        Calendar calendar = EventCalendar.of(List.of(new CalendarEvent.Recurring("backup", nightly, Duration.ofHours(2), 2.0)));

        assertThat(EventEffects.learn(history, calendar).learned("backup")).isCloseTo(3.0, within(0.15));
    }

    @Test
    void recurringEventsOutOfStepWithTheSeasonsAreForecast() {
        Series all = withJob(EVERY_THIRD_DAY, 3.0);
        Calendar calendar = EventCalendar.of(List.of(
                new CalendarEvent.Recurring("job", EVERY_THIRD_DAY, Duration.ofHours(2), 2.0)));
        int jobDay = 21 * Synthetic.DAY; // 2024-01-22, a day the job runs
        Series history = all.head(jobDay);

        for (Forecaster model : List.<Forecaster>of(HoltWinters.create(), SeasonalNaive.previousWeek())) {
            double plain = Synthetic.medianError(model.fit(history, Calendar.EMPTY).predict(history, Synthetic.DAY), all, jobDay);
            double aware = Synthetic.medianError(model.fit(history, calendar).predict(history, Synthetic.DAY), all, jobDay);

            assertThat(aware).as(model.name()).isLessThan(plain / 2);
        }
    }
}
