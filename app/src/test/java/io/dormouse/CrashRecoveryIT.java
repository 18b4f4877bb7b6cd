package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.hypervisor.qemu.GuestImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process killed with SIGKILL at random points of hibernations and wakes, then started
 * again: every VM is there, Running or Hibernated, no transition is left open, no QEMU process of the
 * killed server is left, and every VM still wakes with its memory.
 */
class CrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> VMS = List.of("crash-a", "crash-b");

    @TempDir
    Path dir;

    private Process server;
    private int port;
    private String token;

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyVmSurvivesKillsAtRandomPoints() throws Exception {
        Path image = GuestImage.directory();
        Path demo = Files.createDirectories(dir.resolve("data/images/demo"));
        Files.copy(image.resolve("vmlinuz"), demo.resolve("vmlinuz"));
        Files.copy(image.resolve("initrd.img"), demo.resolve("initrd.img"));
        start();
        for (String vm : VMS) {
            post("/v1/vms?wait=true", "{\"name\":\"" + vm + "\",\"demo\":true}");
            post("/v1/vms/" + vm + "/hibernate?wait=true", "{}");
        }
        post("/v1/vms/crash-a/wake?wait=true", "{}");

        SplittableRandom random = new SplittableRandom(20261122);
        for (int round = 0; round < 3; round++) {
            String vm = VMS.get(random.nextInt(VMS.size()));
            String state = get("/v1/vms/" + vm).path("state").asText();
            post("/v1/vms/" + vm + (state.equals("running") ? "/hibernate" : "/wake"), "{}");
            Thread.sleep(random.nextInt(20, 2500));
            server.destroyForcibly();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

            start();
            JsonNode vms = get("/v1/vms");
            assertThat(vms).as("round " + round + ": no VM lost").hasSize(VMS.size());
            for (JsonNode v : vms) {
                assertThat(v.path("state").asText()).as("round " + round + ": " + v.path("name").asText())
                        .isIn("running", "hibernated");
                assertThat(get("/v1/vms/" + v.path("name").asText() + "/events"))
                        .allSatisfy(e -> assertThat(e.path("completedAt").isNull()).as("open transition").isFalse());
            }
            long running = 0;
            for (JsonNode v : vms) {
                running += v.path("state").asText().equals("running") ? 1 : 0;
            }
            assertThat(qemuProcesses()).as("round " + round + ": QEMU processes of this data directory")
                    .isEqualTo(running);
        }
        for (String vm : VMS) {
            JsonNode woken = post("/v1/vms/" + vm + "/wake?wait=true", "{}");
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + woken.path("address").asText()
                    + ":80/cgi-bin/count")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).as(vm + " answers after every crash").startsWith("count=");
        }
    }

    private long qemuProcesses() {
        String vms = dir.resolve("data").toAbsolutePath().normalize() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).stream().anyMatch(s -> s.contains(vms)))
                        .orElse(false))
                .count();
    }

    private void start() throws Exception {
        ServerProcess started = ServerProcess.start(dir, Map.of(
                "DORMOUSE_DATA_DIR", dir.resolve("data").toString(),
                "DORMOUSE_VM_ACCEL", "tcg"), Duration.ofSeconds(90));
        server = started.process();
        port = started.apiPort();
        token = Files.readString(dir.resolve("data/api-token")).strip();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(3)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + ": " + res.body()).isBetween(200, 202);
        return JSON.readTree(res.body());
    }
}
