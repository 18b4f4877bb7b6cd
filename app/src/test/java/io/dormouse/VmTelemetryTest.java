package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.config.ConfigReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Telemetry through the whole server, in process with the fake hypervisor: DNS queries sampled into the
 * demand series every second, a health checker's queries left out, per-VM gauges that go with their VM.
 */
class VmTelemetryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The health checker's address: loopback, but not the 127.0.0.1 the other client uses. */
    private static final String CHECKER = "127.0.0.2";

    @TempDir
    Path dir;
    private Server server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        RunningServer.fakeDemoImages(dir.resolve("data"));
        server = Server.start(ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), Map.of(
                "data-dir", dir.resolve("data").toString(),
                "api.listen", "127.0.0.1:0",
                "dns.listen", "127.0.0.1:0",
                "vm.hypervisor", "fake",
                "telemetry.interval", "1s",
                "telemetry.excluded-sources", CHECKER + "/32")));
        token = Files.readString(dir.resolve("data/api-token")).strip();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void dnsQueriesBecomeDemandButAHealthCheckersDoNot() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        create("web-1");
        create("db-1");
        for (int i = 0; i < 5; i++) {
            assertThat(ask("web-1", "127.0.0.1").getRcode()).isEqualTo(Rcode.NOERROR);
        }
        for (int i = 0; i < 7; i++) {
            ask("web-1", CHECKER);
            ask("db-1", CHECKER);
        }

        JsonNode web = await("web-1", "demand", from, s -> total(s) == 5);
        assertThat(web.path("aggregate").asText()).isEqualTo("sum");
        assertThat(total(series("web-1", "dns_queries", from))).isEqualTo(5);
        JsonNode db = await("db-1", "demand", from, s -> s.path("points").size() >= 2);
        assertThat(total(db)).as("a VM asked for only by the health checker shows zero demand").isZero();
        JsonNode connections = series("db-1", "connections", from);
        assertThat(connections.path("points")).as("the front door meters it").isNotEmpty();
        assertThat(total(connections)).as("and nobody connected").isZero();

        String metrics = get("/metrics");
        assertThat(metrics).contains("dormouse_vm_demand{application=\"dormouse\",vm=\"web-1\"}")
                .contains("dormouse_vm_demand{application=\"dormouse\",vm=\"db-1\"}")
                .doesNotContain("dormouse_vm_memory_rss_bytes{");
    }

    @Test
    void aTerminatedVmsGaugesAreRemoved() throws Exception {
        create("web-1");
        create("db-1");
        awaitMetrics(m -> m.contains("vm=\"db-1\""));

        post("/v1/vms/db-1/stop?wait=true");
        post("/v1/vms/db-1/terminate?wait=true");

        String metrics = awaitMetrics(m -> !m.contains("vm=\"db-1\""));
        assertThat(metrics).contains("vm=\"web-1\"");
    }

    private void create(String name) throws Exception {
        JsonNode vm = JSON.readTree(post("/v1/vms?wait=true", "{\"name\":\"" + name + "\",\"demo\":true}"));
        assertThat(vm.path("state").asText()).isEqualTo("running");
    }

    private Message ask(String vm, String from) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort()));
        resolver.setLocalAddress(new InetSocketAddress(from, 0));
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(vm + ".dormouse.test."), Type.A,
                DClass.IN)));
    }

    private static double total(JsonNode series) {
        double sum = 0;
        for (JsonNode p : series.path("points")) {
            sum += p.get(1).asDouble();
        }
        return sum;
    }

    /** The series in steps of a second, summed: one point per sampling round. */
    private JsonNode series(String vm, String metric, Instant from) throws Exception {
        return JSON.readTree(get("/v1/vms/" + vm + "/series?metric=" + metric + "&from=" + from + "&to="
                + Instant.now().plusSeconds(5) + "&step=1s&agg=sum"));
    }

    private JsonNode await(String vm, String metric, Instant from, Predicate<JsonNode> done) throws Exception {
        JsonNode series = series(vm, metric, from);
        for (int i = 0; i < 100 && !done.test(series); i++) {
            Thread.sleep(100);
            series = series(vm, metric, from);
        }
        assertThat(done).as("series %s of %s: %s", metric, vm, series).accepts(series);
        return series;
    }

    private String awaitMetrics(Predicate<String> done) throws Exception {
        String metrics = get("/metrics");
        for (int i = 0; i < 100 && !done.test(metrics); i++) {
            Thread.sleep(100);
            metrics = get("/metrics");
        }
        assertThat(done).as("metrics").accepts(metrics);
        return metrics;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort()
                + path)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
        return res.body();
    }

    private String post(String path) throws Exception {
        return post(path, "{}");
    }

    private String post(String path, String body) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort()
                        + path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + ": " + res.body()).isBetween(200, 299);
        return res.body();
    }
}
