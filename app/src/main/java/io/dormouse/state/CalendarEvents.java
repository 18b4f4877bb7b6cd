package io.dormouse.state;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code calendar_events} table: events operators declare so that forecasts expect them. */
public final class CalendarEvents {

    private static final String COLUMNS = "id, name, kind, schedule, starts_at, ends_at, duration_ms, load_factor,"
            + " vm_name, created_at";

    private static final RowMapper<CalendarEvent> ROW = (row, context) -> new CalendarEvent(
            row.getLong("id"), row.getString("name"), CalendarEvent.Kind.of(row.getString("kind")),
            row.getString("schedule"), Columns.instantOrNull(row, "starts_at"), Columns.instantOrNull(row, "ends_at"),
            Duration.ofMillis(row.getLong("duration_ms")), row.getDouble("load_factor"), row.getString("vm_name"),
            Columns.instant(row, "created_at"));

    private final Database database;
    private final InstantSource clock;

    CalendarEvents(Database database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    public CalendarEvent add(NewCalendarEvent event) {
        return database.write("adding calendar event " + event.name(), handle -> handle.createQuery(
                        "INSERT INTO calendar_events (name, kind, schedule, starts_at, ends_at, duration_ms,"
                                + " load_factor, vm_name, created_at) VALUES (:name, :kind, :schedule, :startsAt,"
                                + " :endsAt, :durationMs, :loadFactor, :vmName, :now) RETURNING " + COLUMNS)
                .bind("name", event.name())
                .bind("kind", event.kind().label())
                .bind("schedule", event.schedule())
                .bind("startsAt", Columns.millisOrNull(event.startsAt()))
                .bind("endsAt", Columns.millisOrNull(event.endsAt()))
                .bind("durationMs", event.duration().toMillis())
                .bind("loadFactor", event.loadFactor())
                .bind("vmName", event.vmName())
                .bind("now", clock.millis())
                .map(ROW)
                .one());
    }

    /** Every event, oldest first. */
    public List<CalendarEvent> list() {
        return database.read("listing calendar events", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM calendar_events ORDER BY id")
                .map(ROW)
                .list());
    }

    /** Removes event {@code id}; false when there was none. */
    public boolean remove(long id) {
        return database.write("removing calendar event " + id, handle -> handle
                .createUpdate("DELETE FROM calendar_events WHERE id = :id")
                .bind("id", id)
                .execute() == 1);
    }
}
