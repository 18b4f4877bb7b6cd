package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.config.DatabaseConfig;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.Secret;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.NewVm;
import io.dormouse.state.StateException;
import io.dormouse.state.StateStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The server in process on an ephemeral port, driven by a real HTTP client. */
class ServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = Server.start(config(dir.resolve("data"), Secret.NONE));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static DormouseConfig config(Path dataDir, Secret token) {
        return RunningServer.config(dataDir, token);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws IOException {
        return Files.readString(dir.resolve("data/api-token")).strip();
    }

    @Test
    void createsDataDirectoryAndAPrivateToken() throws IOException {
        Path token = dir.resolve("data/api-token");
        assertThat(token).isRegularFile();
        assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(token()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void reusesTheTokenAcrossRestarts() throws IOException {
        String first = token();
        server.close();
        server = Server.start(config(dir.resolve("data"), Secret.NONE));
        assertThat(token()).isEqualTo(first);
    }

    @Test
    void healthAndReadinessNeedNoToken() throws Exception {
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("ready");
    }

    @Test
    void versionNeedsTheToken() throws Exception {
        HttpResponse<String> missing = get("/v1/version", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        JsonNode problem = JSON.readTree(missing.body());
        assertThat(problem.path("status").asInt()).isEqualTo(401);
        assertThat(problem.path("code").asText()).isEqualTo("unauthorized");
        assertThat(problem.path("detail").asText()).contains("missing bearer token");

        HttpResponse<String> wrong = get("/v1/version", token() + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("detail").asText()).contains("wrong bearer token");

        HttpResponse<String> ok = get("/v1/version", token());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("version").asText()).isEqualTo(Version.current()).isNotEqualTo("unknown");
    }

    @Test
    void configuredTokenIsUsedAndNotWrittenToDisk() throws Exception {
        server.close();
        Path other = dir.resolve("other");
        server = Server.start(config(other, new Secret("configured-token")));
        assertThat(other.resolve("api-token")).doesNotExist();
        assertThat(get("/v1/version", "configured-token").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAreProblemDocuments() throws Exception {
        HttpResponse<String> res = get("/v1/nothing-here", token());
        assertThat(res.statusCode()).isEqualTo(404);
        JsonNode problem = JSON.readTree(res.body());
        assertThat(problem.path("code").asText()).isEqualTo("not-found");
        assertThat(problem.path("detail").asText()).contains("/v1/nothing-here");
    }

    @Test
    void metricsArePrometheusTextWithJvmAndRequestMetrics() throws Exception {
        get("/healthz", null);
        HttpResponse<String> res = get("/metrics", null);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(res.body()).contains("jvm_memory_used_bytes", "process_uptime_seconds",
                "hikaricp_connections_active{application=\"dormouse\",pool=\"dormouse-state\"}",
                "dormouse_api_requests_seconds_count{application=\"dormouse\",method=\"GET\",status=\"200\"}",
                "dormouse_snapshot_cache_restores_total{application=\"dormouse\",outcome=\"miss\"} 0.0",
                "dormouse_snapshot_cache_held_bytes{application=\"dormouse\"} 0.0");
    }

    @Test
    void registersTheLocalHostWithItsCapacity() throws Exception {
        JsonNode hosts = JSON.readTree(get("/v1/hosts", token()).body());
        assertThat(hosts).hasSize(1);
        assertThat(hosts.get(0).path("vcpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(hosts.get(0).path("memoryMib").asLong()).isPositive();
        assertThat(hosts.get(0).path("labels").path("local").asText()).isEqualTo("true");
    }

    @Test
    void listsTheVmsOfTheStateDatabase() throws Exception {
        assertThat(JSON.readTree(get("/v1/vms", token()).body())).isEmpty();
        try (StateStore store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("data/state.db")))) {
            store.vms().insert(new NewVm("web-1", "hibernated", "{\"cpus\":1}", "127.0.1.2", "127.0.2.2", 5, "gold"));
        }
        JsonNode vms = JSON.readTree(get("/v1/vms", token()).body());
        for (int i = 0; i < 40 && vms.isEmpty(); i++) {
            Thread.sleep(100); // the fleet picks up rows written by another process within vm.fleet-sync
            vms = JSON.readTree(get("/v1/vms", token()).body());
        }
        assertThat(vms).hasSize(1);
        assertThat(vms.get(0).path("name").asText()).isEqualTo("web-1");
        assertThat(vms.get(0).path("state").asText()).isEqualTo("hibernated");
        assertThat(vms.get(0).path("frontAddress").asText()).isEqualTo("127.0.2.2");
        assertThat(JSON.readTree(get("/v1/vms/web-1", token()).body()).path("slaClass").asText()).isEqualTo("gold");
        assertThat(JSON.readTree(get("/v1/vms/web-1/snapshots", token()).body())).isEmpty();

        HttpResponse<String> missing = get("/v1/vms/web-2", token());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("detail").asText()).contains("no VM named web-2");
    }

    @Test
    void anUnusableDatabaseStopsStartUpAndReleasesWhatStarted() throws Exception {
        server.close();
        DormouseConfig base = config(dir.resolve("data"), Secret.NONE);
        DormouseConfig broken = new DormouseConfig(base.dataDir(), base.log(), base.api(), base.dns(),
                new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/none", "u", Secret.NONE, Duration.ofSeconds(1)), base.snapshot(), base.vm(),
                base.telemetry(), base.schedule(), base.front());
        assertThatThrownBy(() -> Server.start(broken))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none");
        server = Server.start(base);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void dnsAnswersTheVmsOfTheStateDatabase() throws Exception {
        try (StateStore store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("data/state.db")))) {
            store.vms().insert(new NewVm("web-1", "running", "{}", "127.0.1.2", "127.0.2.2", 5, "gold"));
            store.vms().insert(new NewVm("db-1", "hibernated", "{}", null, "127.0.2.3", 5, "gold"));
        }
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort()));
        resolver.setTimeout(Duration.ofSeconds(2));
        Message running = query(resolver, "web-1.dormouse.test.");
        for (int i = 0; i < 40 && running.getSection(Section.ANSWER).isEmpty(); i++) {
            Thread.sleep(100);
            running = query(resolver, "web-1.dormouse.test.");
        }
        assertThat(running.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(((ARecord) running.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress()).isEqualTo("127.0.1.2");
        assertThat(query(resolver, "nobody.dormouse.test.").getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message hibernated = query(resolver, "db-1.dormouse.test.");
        assertThat(hibernated.getRcode()).as("a hibernated VM is never NXDOMAIN").isEqualTo(Rcode.SERVFAIL);
    }

    private static Message query(SimpleResolver resolver, String name) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
    }
}
