package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCalendarTest {

    private static final List<String> TEXT = List.of(
            "# known events",
            "backup   cron 0 2 * * *  for 1h  factor 3.0",
            "",
            "holiday  from 2024-12-25 until 2024-12-26 factor 0.5   # Christmas",
            "campaign from 2024-12-25T01:00:00Z until 2024-12-25T04:00:00Z factor 2");

    @Test
    void parsesRecurringAndOneOffEvents() {
        EventCalendar calendar = EventCalendar.parse(TEXT);

        assertThat(calendar.events()).containsExactly(
                new CalendarEvent.Recurring("backup", Cron.parse("0 2 * * *"), Duration.ofHours(1), 3.0),
                new CalendarEvent.OneOff("holiday", Instant.parse("2024-12-25T00:00:00Z"),
                        Instant.parse("2024-12-26T00:00:00Z"), 0.5),
                new CalendarEvent.OneOff("campaign", Instant.parse("2024-12-25T01:00:00Z"),
                        Instant.parse("2024-12-25T04:00:00Z"), 2));
    }

    @Test
    void multipliesTheFactorsOfOverlappingEvents() {
        EventCalendar calendar = EventCalendar.parse(TEXT);
        Instant backupOnChristmas = Instant.parse("2024-12-25T02:30:00Z");

        assertThat(calendar.loadFactor(backupOnChristmas)).isEqualTo(3.0 * 0.5 * 2);
        assertThat(calendar.factorsAt(backupOnChristmas)).isEqualTo(Map.of("backup", 3.0, "holiday", 0.5, "campaign", 2.0));
        assertThat(calendar.loadFactor(Instant.parse("2024-12-24T02:30:00Z"))).isEqualTo(3.0);
        assertThat(calendar.eventAt(Instant.parse("2024-12-24T03:00:00Z"))).isFalse();
        assertThat(calendar.loadFactor(Instant.parse("2024-12-24T03:00:00Z"))).isEqualTo(1.0);
    }

    @Test
    void errorsNameTheLineAndTheExpectedForm() {
        assertThatThrownBy(() -> EventCalendar.parse(List.of("ok cron 0 2 * * * for 1h factor 1", "bad cron 0 2 * * for 1h factor 1")))
                .isInstanceOf(ForecastException.class)
                .hasMessageStartingWith("calendar line 2: expected '<name> cron <5 fields> for <duration> factor <number>'");
        assertThatThrownBy(() -> EventCalendar.parse(List.of("x cron 0 99 * * * for 1h factor 1")))
                .hasMessageContaining("calendar line 1: cron '0 99 * * *': hour field '99'");
        assertThatThrownBy(() -> EventCalendar.parse(List.of("x from 2024-01-02 until 2024-01-01 factor 1")))
                .hasMessageContaining("calendar line 1: event 'x': end 2024-01-01T00:00:00Z must be after start");
        assertThatThrownBy(() -> EventCalendar.parse(List.of("x from 2024-01-01 until 2024-01-02 factor -1")))
                .hasMessageContaining("load factor must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> EventCalendar.parse(List.of("x cron 0 2 * * * for soon factor 1")))
                .hasMessageContaining("duration 'soon' is not understood");
        assertThatThrownBy(() -> EventCalendar.parse(List.of("x from yesterday until 2024-01-02 factor 1")))
                .hasMessageContaining("timestamp 'yesterday' is neither");
    }

    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThatThrownBy(() -> DurationText.parse("2 hours")).isInstanceOf(ForecastException.class);
    }
}
