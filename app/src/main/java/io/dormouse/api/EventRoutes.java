package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.forecast.CalendarEvent.OneOff;
import io.dormouse.forecast.CalendarEvent.Recurring;
import io.dormouse.forecast.Cron;
import io.dormouse.forecast.DurationText;
import io.dormouse.forecast.ForecastException;
import io.dormouse.state.CalendarEvent;
import io.dormouse.state.NewCalendarEvent;
import io.dormouse.state.StateStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Calendar events that shape forecasts: {@code GET/POST /v1/events}, {@code DELETE /v1/events/{id}}.
 * A recurring event has a cron schedule (UTC) and a duration; a one-off event a start and an end.
 */
public final class EventRoutes implements HttpService {

    private final StateStore store;

    public EventRoutes(StateStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events", (req, res) -> Json.send(res, store.calendarEvents().list().stream().map(EventRoutes::view).toList()))
                .post("/events", this::add)
                .delete("/events/{id}", this::remove);
    }

    private void add(ServerRequest req, ServerResponse res) {
        JsonNode body = Requests.body(req);
        String name = text(body, "name", true);
        String vm = text(body, "vm", false);
        double factor = body.path("loadFactor").isNumber() ? body.path("loadFactor").asDouble()
                : fail("loadFactor is required: a number, above 1 for more demand, below 1 for less");
        String cron = text(body, "cron", false);
        String start = text(body, "start", false);
        String end = text(body, "end", false);
        if (vm != null && store.vms().find(vm).isEmpty()) {
            throw ApiException.notFound("no VM named " + vm + " for event " + name);
        }
        NewCalendarEvent event;
        try {
            if (cron != null && start == null && end == null) {
                Duration duration = DurationText.parse(text(body, "duration", true));
                new Recurring(name, Cron.parse(cron), duration, factor);
                event = new NewCalendarEvent(name, CalendarEvent.Kind.RECURRING, cron, null, null, duration, factor, vm);
            } else if (cron == null && start != null && end != null) {
                Instant from = Instant.parse(start);
                Instant until = Instant.parse(end);
                new OneOff(name, from, until, factor);
                event = new NewCalendarEvent(name, CalendarEvent.Kind.ONE_OFF, null, from, null,
                        Duration.between(from, until), factor, vm);
            } else {
                throw ApiException.badRequest("give either cron (with duration) for a recurring event,"
                        + " or start and end for a one-off event");
            }
        } catch (ForecastException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("start and end are RFC 3339 times such as 2026-12-24T00:00:00Z: " + e.getMessage());
        }
        res.status(Status.CREATED_201);
        Json.send(res, view(store.calendarEvents().add(event)));
    }

    private void remove(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("event id " + id + " is not a number; 'dormouse event list' shows the ids");
        }
        if (!store.calendarEvents().remove(n)) {
            throw ApiException.notFound("no calendar event with id " + n);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    /** The forecasting view of the stored events that apply to {@code vm} (its own and the fleet's). */
    public static List<io.dormouse.forecast.CalendarEvent> forForecast(StateStore store, String vm) {
        return store.calendarEvents().list().stream()
                .filter(e -> e.vmName() == null || e.vmName().equals(vm))
                .<io.dormouse.forecast.CalendarEvent>map(e -> switch (e.kind()) {
                    case RECURRING -> new Recurring(e.name(), Cron.parse(e.schedule()), e.duration(), e.loadFactor());
                    case ONE_OFF -> new OneOff(e.name(), e.startsAt(), e.startsAt().plus(e.duration()), e.loadFactor());
                })
                .toList();
    }

    record EventView(long id, String name, String kind, String schedule, Instant startsAt, Instant endsAt,
                     Duration duration, double loadFactor, String vm, Instant createdAt) {
    }

    static EventView view(CalendarEvent e) {
        Instant end = e.kind() == CalendarEvent.Kind.ONE_OFF ? e.startsAt().plus(e.duration()) : e.endsAt();
        return new EventView(e.id(), e.name(), e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.schedule(),
                e.startsAt(), end, e.duration(), e.loadFactor(), e.vmName(), e.createdAt());
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw ApiException.badRequest(field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field + " must be a string, got " + value);
        }
        return value.asText();
    }

    private static double fail(String message) {
        throw ApiException.badRequest(message);
    }
}
