package io.dormouse.api;

import io.dormouse.config.HumanDuration;
import io.dormouse.forecast.Aggregation;
import io.dormouse.forecast.Calendar;
import io.dormouse.forecast.EventCalendar;
import io.dormouse.forecast.Forecast;
import io.dormouse.forecast.ForecastException;
import io.dormouse.forecast.GapPolicy;
import io.dormouse.forecast.ModelScore;
import io.dormouse.forecast.ModelSelector;
import io.dormouse.forecast.Sample;
import io.dormouse.forecast.Series;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import io.dormouse.telemetry.VmMetric;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /v1/vms/{name}/forecast?metric=&horizon=&history=&step=}: the VM's demand ahead of its
 * latest sample, by the model with the best recent backtest on its own history, with calendar events.
 */
public final class ForecastRoutes implements HttpService {

    /** Up to this many steps of a gap are filled by interpolation; longer gaps stay missing. */
    private static final int FILL_STEPS = 6;

    private final StateStore store;

    public ForecastRoutes(StateStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms/{name}/forecast", this::forecast);
    }

    record Score(String model, double scaledPinball, double mase) {
    }

    record Band(Instant start, String step, double[] levels, Double[][] values) {
    }

    record Window(Instant from, Instant to) {
    }

    record View(String vm, String metric, String model, List<Score> scores, Band history, Band forecast, List<Window> events) {
    }

    private void forecast(ServerRequest req, ServerResponse res) {
        VmRecord vm = Requests.vm(store, req);
        String metric = SeriesRoutes.metric(Requests.query(req, "metric").orElse(VmMetric.DEMAND.series()));
        Duration horizon = Requests.duration(req, "horizon").orElse(Duration.ofHours(2));
        Duration history = Requests.duration(req, "history").orElse(Duration.ofDays(14));
        List<Sample> all = SeriesRoutes.samples(store, vm, metric, Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)));
        if (all.isEmpty()) {
            throw ApiException.notFound("VM " + vm.name() + " has no samples of metric " + metric
                    + "; import some with 'dormouse vm import-series " + vm.name() + " --metric " + metric + " --csv FILE'");
        }
        Instant from = all.getLast().time().minus(history);
        List<Sample> recent = all.stream().filter(s -> !s.time().isBefore(from)).toList();
        Duration step = Requests.duration(req, "step").orElseGet(() -> Series.typicalStep(recent));
        Series series = Series.fromSamples(recent, step, Aggregation.MEAN, GapPolicy.interpolate(FILL_STEPS));
        int steps = (int) Math.max(1, horizon.toNanos() / step.toNanos());
        Calendar calendar = EventCalendar.of(EventRoutes.forForecast(store, vm.name()));
        ModelSelector.Selection selection;
        Forecast forecast;
        try {
            selection = ModelSelector.create().select(series, calendar);
            forecast = selection.chosen().fit(series, calendar).predict(series, steps);
        } catch (ForecastException e) {
            throw ApiException.badRequest("cannot forecast " + metric + " of " + vm.name() + ": " + e.getMessage());
        }
        List<Score> scores = selection.scores().stream()
                .filter(ModelScore::ok)
                .map(s -> new Score(s.model(), s.meanScaledPinball(), s.mase()))
                .toList();
        Band past = new Band(series.start(), HumanDuration.format(step), new double[] {0.5},
                new Double[][] {boxed(series.values())});
        Double[][] ahead = Arrays.stream(forecast.values()).map(ForecastRoutes::boxed).toArray(Double[][]::new);
        Band future = new Band(forecast.start(), HumanDuration.format(step), forecast.levels(), ahead);
        Json.send(res, new View(vm.name(), metric, selection.chosen().name(), scores, past, future,
                events(calendar, series.start(), forecast.timeAt(steps), step)));
    }

    /** Runs of steps during which an event is in effect. */
    private static List<Window> events(Calendar calendar, Instant from, Instant to, Duration step) {
        List<Window> windows = new ArrayList<>();
        Instant open = null;
        for (Instant t = from; t.isBefore(to); t = t.plus(step)) {
            boolean on = calendar.eventAt(t);
            if (on && open == null) {
                open = t;
            } else if (!on && open != null) {
                windows.add(new Window(open, t));
                open = null;
            }
        }
        if (open != null) {
            windows.add(new Window(open, to));
        }
        return windows;
    }

    private static Double[] boxed(double[] values) {
        return Arrays.stream(values).mapToObj(v -> Double.isFinite(v) ? v : null).toArray(Double[]::new);
    }
}
