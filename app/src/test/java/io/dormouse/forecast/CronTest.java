package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronTest {

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void matchesTheMinutesItNames() {
        Cron nightly = Cron.parse("0 2 * * *");

        assertThat(nightly.matches(t("2024-03-05T02:00:00Z"))).isTrue();
        assertThat(nightly.matches(t("2024-03-05T02:00:59Z"))).isTrue();
        assertThat(nightly.matches(t("2024-03-05T02:01:00Z"))).isFalse();
        assertThat(nightly.matches(t("2024-03-05T14:00:00Z"))).isFalse();
    }

    @Test
    void firedWithinCoversTheDurationAfterEachStart() {
        Cron nightly = Cron.parse("0 2 * * *");
        Duration hour = Duration.ofHours(1);

        assertThat(nightly.firedWithin(t("2024-03-05T02:00:00Z"), hour)).isTrue();
        assertThat(nightly.firedWithin(t("2024-03-05T02:59:59Z"), hour)).isTrue();
        assertThat(nightly.firedWithin(t("2024-03-05T03:00:00Z"), hour)).isFalse();
        assertThat(nightly.firedWithin(t("2024-03-05T01:59:00Z"), hour)).isFalse();
        assertThat(nightly.firedWithin(t("2024-03-06T01:00:00Z"), Duration.ofHours(24))).isTrue();
    }

    @Test
    void understandsRangesListsStepsAndNames() {
        Cron workdays = Cron.parse("*/15 9-17 * * MON-FRI");
        // 2024-03-04 is a Monday, 2024-03-09 a Saturday
        assertThat(workdays.matches(t("2024-03-04T09:45:00Z"))).isTrue();
        assertThat(workdays.matches(t("2024-03-04T09:50:00Z"))).isFalse();
        assertThat(workdays.matches(t("2024-03-04T18:00:00Z"))).isFalse();
        assertThat(workdays.matches(t("2024-03-09T10:00:00Z"))).isFalse();

        Cron quarterly = Cron.parse("30 6 1 jan,apr,jul,oct *");
        assertThat(quarterly.matches(t("2024-04-01T06:30:00Z"))).isTrue();
        assertThat(quarterly.matches(t("2024-05-01T06:30:00Z"))).isFalse();

        Cron sunday = Cron.parse("0 0 * * 7");
        assertThat(sunday.matches(t("2024-03-10T00:00:00Z"))).isTrue();
    }

    @Test
    void schedulesFiringAtTheSameMinutesAreEqual() {
        assertThat(Cron.parse("0 2 * * mon-fri")).isEqualTo(Cron.parse("0 2 * * 1,2,3,4,5"));
        assertThat(Cron.parse("0 2 * * *")).isNotEqualTo(Cron.parse("0 3 * * *"));
    }

    @Test
    void restrictedDayFieldsMatchEitherDay() {
        Cron firstOrMonday = Cron.parse("0 12 1 * 1");

        assertThat(firstOrMonday.matches(t("2024-03-01T12:00:00Z"))).isTrue(); // a Friday, the 1st
        assertThat(firstOrMonday.matches(t("2024-03-04T12:00:00Z"))).isTrue(); // a Monday
        assertThat(firstOrMonday.matches(t("2024-03-05T12:00:00Z"))).isFalse();
    }

    @Test
    void errorsNameTheFieldAndWhatIsAllowed() {
        assertThatThrownBy(() -> Cron.parse("0 2 * *"))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("has 4 fields, expected 5 (minute hour day-of-month month day-of-week)");
        assertThatThrownBy(() -> Cron.parse("0 25 * * *"))
                .hasMessageContaining("hour field '25': 25 is out of range 0-23");
        assertThatThrownBy(() -> Cron.parse("0 2 * * FUNDAY"))
                .hasMessageContaining("day-of-week field 'FUNDAY': 'FUNDAY' is not a number or a name like MON");
        assertThatThrownBy(() -> Cron.parse("0 5-2 * * *"))
                .hasMessageContaining("hour field '5-2': range runs backwards");
        assertThatThrownBy(() -> Cron.parse(" "))
                .hasMessageContaining("cron schedule is empty");
    }
}
