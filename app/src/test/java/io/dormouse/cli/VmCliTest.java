package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.Dormouse;
import io.dormouse.RunningServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The VM lifecycle through the CLI and the REST API, against a real server running the fake hypervisor;
 * the TCP front door in front of its VMs, their bandwidth limit and activity.
 */
class VmCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private RunningServer server;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        RunningServer.fakeDemoImages(dir.resolve("data"));
        server = RunningServer.start(dir.resolve("data"));
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
                "--api", server.api())).toArray(String[]::new));
    }

    private JsonNode json(String... args) throws Exception {
        assertThat(run(args)).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    @Test
    void createsHibernatesAndWakesADemoVm() throws Exception {
        assertThat(run("vm", "create", "web-1", "--demo", "--wait")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("web-1: provisioning").containsPattern("web-1 is running after [0-9.]+ s");

        assertThat(run("vm", "hibernate", "web-1", "--wait")).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("web-1 is hibernated after [0-9.]+ s");
        JsonNode shown = json("vm", "show", "web-1", "--json");
        assertThat(shown.path("state").asText()).isEqualTo("hibernated");
        assertThat(shown.path("snapshotVersion").asLong()).isEqualTo(1);
        assertThat(json("snapshot", "list", "web-1", "--json")).hasSize(1);

        JsonNode woken = json("vm", "wake", "web-1", "--wait", "--json");
        assertThat(woken.path("state").asText()).isEqualTo("running");
        assertThat(woken.path("address").asText()).startsWith("127.");

        JsonNode events = json("vm", "events", "web-1", "--json");
        assertThat(events).extracting(e -> e.path("from").asText() + ">" + e.path("to").asText() + ":" + e.path("outcome").asText())
                .containsExactly("provisioning>running:succeeded", "running>hibernated:succeeded",
                        "hibernated>running:succeeded");
        assertThat(run("vm", "list")).isZero();
        assertThat(out.toString()).contains("web-1").contains("running");

        String metrics;
        try (HttpClient http = HttpClient.newHttpClient()) {
            metrics = http.send(HttpRequest.newBuilder(URI.create(server.api() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(metrics).contains("dormouse_vms{application=\"dormouse\",state=\"running\"} 1.0")
                .contains("dormouse_vms{application=\"dormouse\",state=\"hibernated\"} 0.0")
                .contains("dormouse_vm_transitions_total{application=\"dormouse\",from=\"running\",outcome=\"succeeded\",reason=\"api\",to=\"hibernated\"} 1.0")
                .contains("dormouse_vm_wake_seconds_count{application=\"dormouse\",cold=\"true\",outcome=\"succeeded\",reason=\"api\"} 1")
                .contains("dormouse_vm_hibernation_written_bytes_count{application=\"dormouse\"} 1")
                .contains("dormouse_restore_queue_depth{application=\"dormouse\"} 0.0")
                .contains("dormouse_capacity_memory_bytes{application=\"dormouse\",use=\"used\"} 1.34217728E8");
    }

    @Test
    void badRequestsAreRefusedWithAProblemAndChangeNothing() throws Exception {
        assertThat(run("vm", "create", "web-1", "--demo", "--wait")).isZero();
        assertThat(run("vm", "stop", "web-1", "--wait")).as(err.toString()).isZero();

        assertThat(run("vm", "hibernate", "web-1")).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("409").contains("VM web-1 is stopped and cannot become hibernating")
                .contains("[illegal-transition]");
        assertThat(run("vm", "wake", "nobody")).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("404").contains("no VM named nobody");
        assertThat(run("vm", "create", "web-1", "--demo")).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("409").contains("[duplicate]");
        Path huge = Files.writeString(dir.resolve("huge.yaml"), "vcpus: 1\nmemoryMib: 1048576\nkernel: /boot/none\nports: [80]\n");
        assertThat(run("vm", "create", "huge", "--spec", huge.toString())).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("422").contains("more than any host has").contains("[over-capacity]");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "vcpu: 1\nkernel: /boot/none\nports: [80]\n");
        assertThat(run("vm", "create", "typo", "--spec", typo.toString())).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("400").contains("unknown field 'vcpu'");

        JsonNode vms = json("vm", "list", "--json");
        assertThat(vms).singleElement().satisfies(vm -> assertThat(vm.path("state").asText()).isEqualTo("stopped"));
        assertThat(json("vm", "events", "web-1", "--json")).hasSize(2);
    }

    @Test
    void createsFromFlagsAndTerminates() throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "not a kernel");
        assertThat(run("vm", "create", "api-1", "--kernel", kernel.toString(), "--memory-mib", "64", "--port", "8080",
                "--priority", "7", "--sla", "gold", "--wait")).as(err.toString()).isZero();
        JsonNode vm = json("vm", "show", "api-1", "--json");
        assertThat(vm.path("priority").asInt()).isEqualTo(7);
        assertThat(vm.path("slaClass").asText()).isEqualTo("gold");
        assertThat(vm.path("spec").path("memoryMib").asLong()).isEqualTo(64);
        assertThat(run("vm", "stop", "api-1", "--wait")).isZero();
        assertThat(run("vm", "terminate", "api-1", "--wait")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("api-1 is terminated");
        assertThat(json("host", "list", "--json")).hasSize(1);
    }

    @Test
    void theFrontAddressServesTheVmAndWakesItWhenHibernated() throws Exception {
        assertThat(run("vm", "create", "web-1", "--demo", "--wait")).as(err.toString()).isZero();
        String front = json("vm", "show", "web-1", "--json").path("frontAddress").asText();
        assertThat(front).startsWith("127.2.");
        long first = count(front);
        assertThat(run("vm", "hibernate", "web-1", "--wait")).as(err.toString()).isZero();

        assertThat(count(front)).as("the counter through the front door after a wake").isEqualTo(first + 1);
        JsonNode shown = json("vm", "show", "web-1", "--json");
        assertThat(shown.path("state").asText()).isEqualTo("running");
        JsonNode events = json("vm", "events", "web-1", "--json");
        assertThat(events.get(events.size() - 1).path("reason").asText()).isEqualTo("front");

        JsonNode activity = api("GET", "/v1/vms/web-1/activity", null, 200);
        assertThat(activity.path("opened").asLong()).as("connections before and after the wake")
                .isGreaterThanOrEqualTo(2);
        assertThat(activity.path("bytesIn").asLong()).isPositive();
        assertThat(activity.path("bytesOut").asLong()).isPositive();
        assertThat(activity.path("keepAwake").asBoolean()).as("just woken, within front.min-awake").isTrue();
    }

    @Test
    void theBandwidthLimitIsShownAndChangedWhileTheVmRuns() throws Exception {
        assertThat(run("vm", "create", "web-1", "--demo", "--wait")).as(err.toString()).isZero();
        assertThat(run("vm", "bandwidth", "web-1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("web-1").containsPattern("\\b0\\b");
        assertThat(json("vm", "bandwidth", "web-1", "1M", "--json").path("bytesPerSecond").asLong()).isEqualTo(1 << 20);
        assertThat(api("GET", "/v1/vms/web-1/bandwidth", null, 200).path("bytesPerSecond").asLong()).isEqualTo(1 << 20);
        server.close();
        server = RunningServer.start(dir.resolve("data"));
        assertThat(api("GET", "/v1/vms/web-1/bandwidth", null, 200).path("bytesPerSecond").asLong())
                .as("kept across a restart").isEqualTo(1 << 20);
        assertThat(api("PUT", "/v1/vms/web-1/bandwidth", "{\"bytesPerSecond\": 0}", 200)
                .path("bytesPerSecond").asLong()).isZero();
        server.close();
        server = RunningServer.start(dir.resolve("data"));
        assertThat(api("GET", "/v1/vms/web-1/bandwidth", null, 200).path("bytesPerSecond").asLong())
                .as("unlimited, also after a restart").isZero();

        assertThat(api("PUT", "/v1/vms/web-1/bandwidth", "{\"bytesPerSecond\": -3}", 400).path("detail").asText())
                .contains("bytesPerSecond", "-3");
        assertThat(api("PUT", "/v1/vms/web-1/bandwidth", "{\"rate\": 5}", 400).path("detail").asText())
                .contains("bytesPerSecond is missing");
        assertThat(api("PUT", "/v1/vms/nope/bandwidth", "{\"bytesPerSecond\": 5}", 404).path("detail").asText())
                .contains("nope");
        assertThat(run("vm", "bandwidth", "web-1", "fast")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("LIMIT", "fast");
    }

    private JsonNode api(String method, String path, String body, int status) throws Exception {
        String token = Files.readString(dir.resolve("data/api-token")).strip();
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(server.api() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return JSON.readTree(res.body());
    }

    /** The demo counter through the front address; waits for the front door to listen (it syncs each second). */
    private static long count(String front) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + front + ":80/cgi-bin/count"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
                return Long.parseLong(body.substring(body.indexOf('=') + 1));
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
