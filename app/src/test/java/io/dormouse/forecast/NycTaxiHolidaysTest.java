package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The calendar on real data: the New York taxi trace with the events listed in the traces'
 * README. Each event day is forecast from midnight with the history up to then, with and without
 * the calendar. Declared factors are what a planner would write down beforehand (holidays 0.7, the
 * storm 0.5, the marathon 1.0); holidays share a name, so later ones use the effect learned from earlier ones.
 */
class NycTaxiHolidaysTest {

    private static final Path TRACES = Path.of("../../shared/data/traces");
    private static final List<String> EVENTS = List.of(
            "marathon from 2014-11-02 until 2014-11-03 factor 1.0",
            "holiday  from 2014-11-27 until 2014-11-28 factor 0.7  # Thanksgiving",
            "holiday  from 2014-12-25 until 2014-12-26 factor 0.7  # Christmas",
            "holiday  from 2015-01-01 until 2015-01-02 factor 0.7  # New Year",
            "storm    from 2015-01-26 until 2015-01-28 factor 0.5  # snow storm");
    private static final List<String> EVENT_DAYS =
            List.of("2014-11-02", "2014-11-27", "2014-12-25", "2015-01-01", "2015-01-26", "2015-01-27");

    private static Series taxi() throws IOException {
        Path csv = TRACES.resolve("nyc_taxi.csv");
        if (!Files.isReadable(csv)) {
            fail("nyc_taxi.csv not found at " + csv.toAbsolutePath().normalize()
                    + ": the shared traces must sit at ../shared/data/traces beside the repository");
        }
        try (Reader reader = Files.newBufferedReader(csv)) {
            return Series.fromSamples(SampleCsv.parse(reader), Duration.ofMinutes(30), Aggregation.MEAN, GapPolicy.refuse());
        }
    }

    /** Mean absolute error of the median over every event day, each forecast 48 steps from its midnight. */
    private static double eventDayError(Forecaster model, Series taxi, Calendar calendar) {
        double total = 0;
        for (String day : EVENT_DAYS) {
            int midnight = (int) (Duration.between(taxi.start(), Instant.parse(day + "T00:00:00Z")).toMinutes() / 30);
            Series history = taxi.head(midnight);
            total += Synthetic.medianError(model.fit(history, calendar).predict(history, 48), taxi, midnight);
        }
        return total / EVENT_DAYS.size();
    }

    @Test
    void eventAwareForecastsHaveLowerErrorOnTheListedEventDays() throws IOException {
        Series taxi = taxi();
        EventCalendar calendar = EventCalendar.parse(EVENTS);

        for (Forecaster model : List.of(HoltWinters.create(), SeasonalNaive.previousWeek())) {
            double plain = eventDayError(model, taxi, Calendar.EMPTY);
            double aware = eventDayError(model, taxi, calendar);
            System.out.printf("nyc_taxi event days, %s: mean absolute error %.0f passengers per 30 min without "
                    + "events, %.0f with events (%.0f%% lower)%n", model.name(), plain, aware, 100 * (1 - aware / plain));

            assertThat(aware).as(model.name()).isLessThan(plain);
        }
    }
}
