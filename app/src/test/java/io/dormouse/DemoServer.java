package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.config.ConfigReader;
import io.dormouse.hypervisor.qemu.GuestImage;
import io.dormouse.vm.VmDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * A server in process with real QEMU (TCG) and the demo guest image, driven through its HTTP API:
 * the shared setup of the integration tests that wake a real guest.
 */
public final class DemoServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Server server;
    private final String token;

    private DemoServer(Server server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Starts a server with its data in {@code dir}; {@code settings} add to or override the test defaults. */
    public static DemoServer start(Path dir, Map<String, String> settings) throws Exception {
        Path image = GuestImage.directory();
        Path demo = Files.createDirectories(dir.resolve("data/images/demo"));
        Files.copy(image.resolve("vmlinuz"), demo.resolve("vmlinuz"));
        Files.copy(image.resolve("initrd.img"), demo.resolve("initrd.img"));
        Map<String, String> all = new HashMap<>(Map.of(
                "data-dir", dir.resolve("data").toString(),
                "api.listen", "127.0.0.1:0",
                "dns.listen", "127.0.0.1:0",
                "vm.hypervisor", "qemu",
                "vm.accel", "tcg",
                "vm.ready-timeout", "2m"));
        all.putAll(settings);
        Server server = Server.start(ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), all));
        return new DemoServer(server, Files.readString(dir.resolve("data/api-token")).strip());
    }

    public int dnsPort() {
        return server.dnsPort();
    }

    /** Creates a demo VM and waits until it runs; returns its address. */
    public String createDemo(String name) throws Exception {
        JsonNode created = post("/v1/vms?wait=true", "{\"name\":\"" + name + "\",\"demo\":true}", 201);
        assertThat(created.path("state").asText()).as("state of the new VM " + name).isEqualTo("running");
        return created.path("address").asText();
    }

    /**
     * Creates a VM of the demo guest with {@code policy} (JSON fields of a VM definition, such as
     * {@code "onUnhealthy": "restart"}) added to its spec, and waits until it runs; returns its address.
     */
    public String createDemo(String name, String policy) throws Exception {
        Path images = server.dataDir().resolve("images/demo").toAbsolutePath();
        String spec = "{\"vcpus\": 1, \"memoryMib\": 128, \"kernel\": \"" + images.resolve("vmlinuz")
                + "\", \"initrd\": \"" + images.resolve("initrd.img") + "\", \"cmdline\": \"" + VmDefinition.DEMO_CMDLINE + "\","
                + " \"ports\": [80], \"readinessPath\": \"/healthz\", " + policy + "}";
        JsonNode created = post("/v1/vms?wait=true", "{\"name\":\"" + name + "\",\"spec\":" + spec + "}", 201);
        assertThat(created.path("state").asText()).as("state of the new VM " + name).isEqualTo("running");
        return created.path("address").asText();
    }

    public void hibernate(String name) throws Exception {
        JsonNode asleep = post("/v1/vms/" + name + "/hibernate?wait=true", "{}", 200);
        assertThat(asleep.path("state").asText()).as("state of " + name + " after hibernation").isEqualTo("hibernated");
    }

    public JsonNode vm(String name) throws Exception {
        return get("/v1/vms/" + name);
    }

    /** The VM's demand as the front door metered it, and its ports the kernel routes now. */
    public JsonNode activity(String name) throws Exception {
        return get("/v1/vms/" + name + "/activity");
    }

    /** Wakes the VM through the API and waits until it runs; returns its address. */
    public String wake(String name) throws Exception {
        JsonNode awake = post("/v1/vms/" + name + "/wake?wait=true", "{}", 200);
        assertThat(awake.path("state").asText()).as("state of " + name + " after waking").isEqualTo("running");
        return awake.path("address").asText();
    }

    /** The VM's lifecycle events as the API lists them, oldest first. */
    public JsonNode events(String name) throws Exception {
        return get("/v1/vms/" + name + "/events");
    }

    /** The reasons of the VM's lifecycle events (one per transition: create, hibernate, restore...), oldest first. */
    public List<String> eventReasons(String name) throws Exception {
        return StreamSupport.stream(get("/v1/vms/" + name + "/events").spliterator(), false)
                .map(e -> e.path("to").asText() + ":" + e.path("reason").asText()).toList();
    }

    /** The demo guest's RAM counter, incremented by each request: it continues only if memory survived. */
    public static long count(String address) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":80/cgi-bin/count"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
        return Long.parseLong(body.substring(body.indexOf('=') + 1));
    }

    /** The server's Prometheus text. */
    public String metrics() throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(api("/metrics")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.body();
    }

    /** The sum of a Prometheus counter's samples whose labels contain {@code labels} (empty: all). */
    public double counter(String name, String labels) throws Exception {
        return metrics().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** GET {@code path} of the API, which must answer 200, as JSON. */
    public JsonNode get(String path) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(api(path)))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    /** POSTs a JSON body to an API path, which must answer {@code status}. */
    public JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(api(path)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(status);
        return JSON.readTree(res.body());
    }

    /** PUTs a JSON body to an API path, which must answer 200. */
    public JsonNode put(String path, String body) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(api(path)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private String api(String path) {
        return "http://127.0.0.1:" + server.apiPort() + path;
    }

    @Override
    public void close() {
        server.close();
    }
}
