package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.config.HumanDuration;
import io.dormouse.forecast.Sample;
import io.dormouse.state.Aggregate;
import io.dormouse.state.MetricSample;
import io.dormouse.state.MetricSeries;
import io.dormouse.state.Resolution;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A VM's series: {@code GET /v1/vms/{name}/series?metric=&from=&to=&step=&agg=} reads it raw or at a step
 * (mean, max or sum per step), and {@code POST /v1/vms/{name}/series/{metric}} imports a history in one
 * transaction.
 */
public final class SeriesRoutes implements HttpService {

    private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    /** A read at a step answers at most this many points. */
    static final long MAX_STEPS = 100_000;

    private final StateStore store;
    private final MetricSeries series;

    public SeriesRoutes(StateStore store) {
        this.store = store;
        this.series = new MetricSeries(store.metricSamples());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms/{name}/series", this::read).post("/vms/{name}/series/{metric}", this::write);
    }

    /**
     * The history of {@code metric} between {@code from} and {@code to}, oldest first: raw samples where they
     * are kept, rollup means before them (see {@link MetricSeries#history}).
     */
    static List<Sample> samples(StateStore store, VmRecord vm, String metric, Instant from, Instant to) {
        return new MetricSeries(store.metricSamples()).history(vm.id(), metric, from, to).stream()
                .map(p -> new Sample(p.at(), p.value()))
                .toList();
    }

    static String metric(String name) {
        if (name == null || !METRIC.matcher(name).matches()) {
            throw ApiException.badRequest("metric '" + name + "' is not a metric name: lower-case letters, digits, '_', '.', '-'"
                    + " (for example connections, cpu, dns_queries)");
        }
        return name;
    }

    /**
     * @param aggregate  how each step was made, null for raw samples
     * @param resolution what served the steps: {@code raw}, {@code 5m} or {@code 1h} buckets
     */
    record SeriesView(String vm, String metric, Instant from, Instant to, String step, String aggregate,
                      String resolution, List<Object[]> points) {
    }

    record Imported(String vm, String metric, int received, int added) {
    }

    private void read(ServerRequest req, ServerResponse res) {
        VmRecord vm = Requests.vm(store, req);
        String metric = metric(Requests.query(req, "metric").orElseThrow(
                () -> ApiException.badRequest("metric is required, for example ?metric=demand")));
        Instant to = Requests.instant(req, "to").orElse(Instant.now());
        Instant from = Requests.instant(req, "from").orElse(to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from " + from + " must be before to " + to);
        }
        Duration step = Requests.duration(req, "step").orElse(null);
        Aggregate aggregate = aggregate(req, step);
        List<MetricSample> points;
        String resolution = "raw";
        if (step == null) {
            points = series.raw(vm.id(), metric, from, to);
        } else {
            long steps = Duration.between(from, to).dividedBy(step);
            if (steps >= MAX_STEPS) {
                throw ApiException.badRequest("step " + HumanDuration.format(step) + " from " + from + " to " + to
                        + " makes " + steps + " steps; at most " + MAX_STEPS
                        + ": ask for a longer step or a shorter range");
            }
            points = series.stepped(vm.id(), metric, from, to, step, aggregate);
            resolution = MetricSeries.resolutionFor(step).map(Resolution::length).map(HumanDuration::format)
                    .orElse("raw");
        }
        List<Object[]> rows = new ArrayList<>(points.size());
        points.forEach(p -> rows.add(new Object[] {p.at(), p.value()}));
        Json.send(res, new SeriesView(vm.name(), metric, from, to, step == null ? "raw" : HumanDuration.format(step),
                step == null ? null : aggregate.toString(), resolution, rows));
    }

    /** {@code agg}: mean (default), max or sum, and only with a step. */
    private static Aggregate aggregate(ServerRequest req, Duration step) {
        if (step != null && step.compareTo(Duration.ofSeconds(1)) < 0) {
            throw ApiException.badRequest("step " + HumanDuration.format(step) + " is too short; at least 1s");
        }
        Optional<String> agg = Requests.query(req, "agg");
        if (agg.isPresent() && step == null) {
            throw ApiException.badRequest("agg " + agg.get() + " needs a step to aggregate to, for example &step=1h");
        }
        try {
            return agg.map(Aggregate::parse).orElse(Aggregate.MEAN);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("agg: " + e.getMessage());
        }
    }

    private void write(ServerRequest req, ServerResponse res) {
        VmRecord vm = Requests.vm(store, req);
        String metric = metric(req.path().pathParameters().get("metric"));
        JsonNode rows = Requests.body(req).path("samples");
        if (!rows.isArray() || rows.isEmpty()) {
            throw ApiException.badRequest("samples must be a non-empty array of [epoch-milliseconds, value] pairs");
        }
        List<MetricSample> samples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            if (!row.isArray() || row.size() != 2 || !row.get(0).canConvertToLong() || !row.get(1).isNumber()
                    || !Double.isFinite(row.get(1).asDouble())) {
                throw ApiException.badRequest("samples[" + i + "] is " + row
                        + "; expected [epoch-milliseconds, finite number]; nothing was imported");
            }
            samples.add(new MetricSample(vm.id(), metric, Instant.ofEpochMilli(row.get(0).asLong()), row.get(1).asDouble()));
        }
        int added = store.metricSamples().append(samples);
        Json.send(res, new Imported(vm.name(), metric, samples.size(), added));
    }
}
