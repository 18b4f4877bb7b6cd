package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.config.HumanDuration;
import io.dormouse.forecast.Aggregation;
import io.dormouse.forecast.GapPolicy;
import io.dormouse.forecast.Sample;
import io.dormouse.forecast.Series;
import io.dormouse.state.MetricSample;
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
import java.util.regex.Pattern;

/**
 * A VM's demand series: {@code GET /v1/vms/{name}/series?metric=&from=&to=&step=} and
 * {@code POST /v1/vms/{name}/series/{metric}} to import a history in one transaction.
 */
public final class SeriesRoutes implements HttpService {

    private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    private final StateStore store;

    public SeriesRoutes(StateStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms/{name}/series", this::read).post("/vms/{name}/series/{metric}", this::write);
    }

    /** The samples of {@code metric} between {@code from} and {@code to}, oldest first. */
    static List<Sample> samples(StateStore store, VmRecord vm, String metric, Instant from, Instant to) {
        return store.metricSamples().range(vm.id(), metric, from, to).stream()
                .map(s -> new Sample(s.at(), s.value()))
                .toList();
    }

    static String metric(String name) {
        if (name == null || !METRIC.matcher(name).matches()) {
            throw ApiException.badRequest("metric '" + name + "' is not a metric name: lower-case letters, digits, '_', '.', '-'"
                    + " (for example connections, cpu, dns_queries)");
        }
        return name;
    }

    record SeriesView(String vm, String metric, Instant from, Instant to, String step, List<Object[]> points) {
    }

    record Imported(String vm, String metric, int received, int added) {
    }

    private void read(ServerRequest req, ServerResponse res) {
        VmRecord vm = Requests.vm(store, req);
        String metric = metric(Requests.query(req, "metric").orElseThrow(
                () -> ApiException.badRequest("metric is required, for example ?metric=connections")));
        Instant to = Requests.instant(req, "to").orElse(Instant.now());
        Instant from = Requests.instant(req, "from").orElse(to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from " + from + " must be before to " + to);
        }
        List<Sample> samples = samples(store, vm, metric, from, to);
        List<Object[]> points = new ArrayList<>();
        Duration step = Requests.duration(req, "step").orElse(null);
        if (step == null || samples.isEmpty()) {
            samples.forEach(s -> points.add(new Object[] {s.time(), s.value()}));
        } else {
            Series series = Series.fromSamples(samples, step, Aggregation.MEAN, GapPolicy.markMissing());
            for (int i = 0; i < series.size(); i++) {
                if (!Double.isNaN(series.at(i))) {
                    points.add(new Object[] {series.timeAt(i), series.at(i)});
                }
            }
        }
        Json.send(res, new SeriesView(vm.name(), metric, from, to, step == null ? "raw" : HumanDuration.format(step), points));
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
