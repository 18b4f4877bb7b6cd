package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.RunningServer;
import io.dormouse.state.MetricSample;
import io.dormouse.state.NewVm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The series API against a real server in process: steps, aggregates, imports, and problems naming the parameter. */
class SeriesRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;
    private RunningServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        server = RunningServer.start(dir.resolve("data"));
        token = Files.readString(dir.resolve("data/api-token")).strip();
        server.withState(store -> {
            long id = store.vms().insert(new NewVm("web-1", "running", "{}", null, null, 1, "standard")).id();
            List<MetricSample> samples = new ArrayList<>();
            for (int i = 0; i < 6 * 60; i++) { // six hours, a sample a minute: the minute of the hour
                samples.add(new MetricSample(id, "demand", T0.plus(Duration.ofMinutes(i)), i % 60));
            }
            store.metricSamples().append(samples);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void stepsAreAggregatedAsAskedAndSayWhatServedThem() throws Exception {
        JsonNode hours = ok("/v1/vms/web-1/series?metric=demand&from=" + T0 + "&to=" + T0.plus(Duration.ofHours(6))
                + "&step=2h&agg=max");
        assertThat(hours.path("step").asText()).isEqualTo("2h");
        assertThat(hours.path("aggregate").asText()).isEqualTo("max");
        assertThat(hours.path("resolution").asText()).isEqualTo("1h");
        assertThat(hours.path("points")).hasSize(3).allSatisfy(p -> assertThat(p.get(1).asDouble()).isEqualTo(59));

        JsonNode sums = ok("/v1/vms/web-1/series?metric=demand&from=" + T0 + "&to=" + T0.plus(Duration.ofHours(1))
                + "&step=10m&agg=sum");
        assertThat(sums.path("resolution").asText()).isEqualTo("5m");
        assertThat(sums.path("points").get(1).get(1).asDouble()).isEqualTo(10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19);

        JsonNode means = ok("/v1/vms/web-1/series?metric=demand&from=" + T0 + "&to=" + T0.plus(Duration.ofHours(1))
                + "&step=90s");
        assertThat(means.path("aggregate").asText()).isEqualTo("mean");
        assertThat(means.path("resolution").asText()).isEqualTo("raw");
        assertThat(means.path("points").get(0).get(1).asDouble()).as("minutes 0 and 1").isEqualTo(0.5);
        assertThat(means.path("points").get(1).get(1).asDouble()).as("minute 2 alone").isEqualTo(2);

        JsonNode raw = ok("/v1/vms/web-1/series?metric=demand&from=" + T0 + "&to=" + T0.plus(Duration.ofMinutes(10)));
        assertThat(raw.path("step").asText()).isEqualTo("raw");
        assertThat(raw.path("points")).hasSize(10);
    }

    @Test
    void invalidParametersAreProblemsNamingTheParameter() throws Exception {
        String base = "/v1/vms/web-1/series?from=" + T0 + "&to=" + T0.plus(Duration.ofHours(1));
        problem(base, "metric is required");
        problem(base + "&metric=Demand!", "metric 'Demand!'");
        problem(base + "&metric=demand&step=soon", "step: \"soon\" is not a duration");
        problem(base + "&metric=demand&step=0s", "step 0s is too short");
        problem(base + "&metric=demand&step=1h&agg=median", "agg: \"median\" is not an aggregation; allowed: mean, max, sum");
        problem(base + "&metric=demand&agg=max", "agg max needs a step");
        problem("/v1/vms/web-1/series?metric=demand&from=" + T0 + "&to=" + T0, "from " + T0 + " must be before to");
        problem("/v1/vms/web-1/series?metric=demand&from=yesterday", "from must be an RFC 3339 time");
        problem("/v1/vms/web-1/series?metric=demand&from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&step=1s",
                "at most 100000");
    }

    @Test
    void anImportWithOneBadRowImportsNothing() throws Exception {
        long t = T0.plus(Duration.ofDays(1)).toEpochMilli();
        String body = "{\"samples\":[[" + t + ",1],[" + (t + 60_000) + ",2],[" + (t + 120_000) + ",\"many\"],["
                + (t + 180_000) + ",4]]}";
        HttpResponse<String> bad = send(HttpRequest.newBuilder(uri("/v1/vms/web-1/series/connections"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("samples[2]").contains("nothing was imported");
        String range = "&from=" + T0 + "&to=" + T0.plus(Duration.ofDays(2));
        assertThat(ok("/v1/vms/web-1/series?metric=connections" + range).path("points")).isEmpty();
        assertThat(ok("/v1/vms/web-1/series?metric=connections&step=1h" + range).path("points")).isEmpty();

        HttpResponse<String> good = send(HttpRequest.newBuilder(uri("/v1/vms/web-1/series/connections"))
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("\"many\"", "3"))));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(ok("/v1/vms/web-1/series?metric=connections&step=1h&agg=sum" + range).path("points"))
                .singleElement().satisfies(p -> assertThat(p.get(1).asDouble()).isEqualTo(10));
    }

    private void problem(String path, String detail) throws Exception {
        HttpResponse<String> res = send(HttpRequest.newBuilder(uri(path)));
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(400);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(res.body()).path("detail").asText()).as(path).contains(detail);
    }

    private JsonNode ok(String path) throws Exception {
        HttpResponse<String> res = send(HttpRequest.newBuilder(uri(path)));
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(server.api() + path);
    }
}
