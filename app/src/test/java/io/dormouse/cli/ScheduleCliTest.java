package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.Dormouse;
import io.dormouse.RunningServer;
import io.dormouse.Server;
import io.dormouse.config.ConfigReader;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.MetricSample;
import io.dormouse.state.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A VM's schedule through the CLI and the REST API, against a real server on the fake hypervisor whose
 * scheduler runs every second in forecast-only mode.
 */
class ScheduleCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Server server;
    private String api;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        RunningServer.fakeDemoImages(dir.resolve("data"));
        server = Server.start(ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), Map.of(
                "data-dir", dir.resolve("data").toString(),
                "api.listen", "127.0.0.1:0",
                "dns.listen", "127.0.0.1:0",
                "vm.hypervisor", "fake",
                "schedule.mode", "forecast-only",
                "schedule.interval", "1s",
                "schedule.step", "1m",
                "schedule.history", "1d")));
        api = "http://127.0.0.1:" + server.apiPort();
        assertThat(run("vm", "create", "web-1", "--demo", "--wait")).as(err.toString()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = Cli.commandLine(new Dormouse());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(Stream.concat(Stream.of(args), Stream.of("--data-dir", dir.resolve("data").toString(),
                "--api", api)).toArray(String[]::new));
    }

    private JsonNode json(String... args) throws Exception {
        assertThat(run(args)).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    @Test
    void showsTheDefaultPolicyAndSetsFieldsKeepingTheOthers() throws Exception {
        JsonNode shown = json("vm", "schedule", "web-1", "--json");
        assertThat(shown.path("mode").asText()).isEqualTo("forecast-only");
        assertThat(shown.path("policy").path("kind").asText()).isEqualTo("predictive");
        assertThat(shown.path("tuned").isNull()).isTrue();

        JsonNode set = json("vm", "schedule", "web-1", "--set", "kind=fixed-idle", "--set", "hibernateAfter=20m",
                "--set", "wakeAbove=3", "--set", "alwaysOn=Mon-Fri 08:00-18:00", "--set", "alwaysOn=sat 10:00-12:00",
                "--json");
        JsonNode policy = set.path("policy");
        assertThat(policy.path("kind").asText()).isEqualTo("fixed-idle");
        assertThat(policy.path("hibernateAfter").asText()).isEqualTo("20m");
        assertThat(policy.path("wakeAbove").asDouble()).isEqualTo(3.0);
        assertThat(policy.path("hibernateBelow").asDouble()).isEqualTo(0.5);
        assertThat(policy.path("alwaysOn")).extracting(JsonNode::asText)
                .containsExactly("Mon,Tue,Wed,Thu,Fri 08:00-18:00", "Sat 10:00-12:00");
        assertThat(json("vm", "schedule", "web-1", "--json").path("policy")).isEqualTo(policy);

        assertThat(run("vm", "schedule", "web-1")).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("hibernateAfter +20m +20m")
                .contains("mode: forecast-only");
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndNothingChanges() throws Exception {
        assertThat(run("vm", "schedule", "web-1", "--set", "wakeAbove=0.1", "--set", "hibernateBelow=0.2"))
                .isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("400 Invalid schedule policy: wakeAbove must be a finite number at least"
                + " hibernateBelow (0.2)").contains("[invalid-schedule]");
        assertThat(run("vm", "schedule", "web-1", "--set", "hibernateAfter=soon")).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("hibernateAfter must be a duration such as 90s, 15m or 2h, got 'soon'");
        assertThat(run("vm", "schedule", "web-1", "--set", "hibernateAfterr=1m")).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("unknown schedule field 'hibernateAfterr'");

        HttpResponse<String> raw;
        try (HttpClient http = HttpClient.newHttpClient()) {
            raw = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/vms/web-1/schedule"))
                    .header("Authorization", "Bearer " + Files.readString(dir.resolve("data/api-token")).strip())
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"alwaysOn\":[\"Mon 8-18\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(raw.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(raw.body());
        assertThat(problem.path("code").asText()).isEqualTo("invalid-schedule");
        assertThat(problem.path("detail").asText()).startsWith("alwaysOn window 'Mon 8-18' is not valid");
        assertThat(json("vm", "schedule", "web-1", "--json").path("policy").path("wakeAbove").asDouble())
                .isEqualTo(1.0);
    }

    @Test
    void tunedThresholdsAndTheirExpectedCostShowOnceTheSchedulerTunedThem() throws Exception {
        // a day of per-minute demand: a request every 7 minutes from 09:00 to 12:00, nothing otherwise
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (StateStore store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("data/state.db")))) {
            long id = store.vms().find("web-1").orElseThrow().id();
            List<MetricSample> samples = new ArrayList<>();
            for (Instant t = end.minus(Duration.ofDays(1)); t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
                long minute = t.getEpochSecond() / 60 % 1440;
                boolean request = minute >= 540 && minute < 720 && minute % 7 == 0;
                samples.add(new MetricSample(id, "demand", t, request ? 3.0 : 0.0));
            }
            store.metricSamples().append(samples);
        }
        json("vm", "schedule", "web-1", "--set", "kind=fixed-idle", "--set", "tune=true", "--json");

        JsonNode tuned = null;
        for (int i = 0; i < 300 && (tuned == null || tuned.isNull()); i++) {
            Thread.sleep(100);
            tuned = json("vm", "schedule", "web-1", "--json").path("tuned");
        }
        assertThat(tuned.isObject()).as("tuned thresholds within 30 s").isTrue();
        // one request per day costs a cold start at any duration; gaps of 6 idle minutes make shorter durations dear
        assertThat(tuned.path("hibernateAfter").asText()).isIn("10m", "15m");
        assertThat(tuned.path("expectedCost").asDouble()).isPositive();
        // the minute under way is not replayed, nor the one of the first sample once the window moved past it
        assertThat(tuned.path("replayed").asText()).isIn("1438m", "1439m", "1d");
        assertThat(tuned.path("coldStartPenalty").asDouble()).isEqualTo(1.0);

        JsonNode shown = json("vm", "schedule", "web-1", "--json");
        assertThat(shown.path("effective").path("hibernateAfter")).isEqualTo(tuned.path("hibernateAfter"));
        assertThat(run("vm", "schedule", "web-1")).isZero();
        assertThat(out.toString()).containsPattern("expectedCost +[0-9.]+").contains("latest: ");
    }
}
