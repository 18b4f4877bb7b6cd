package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.config.ConfigReader;
import io.dormouse.config.DormouseConfig;
import io.dormouse.hypervisor.qemu.GuestImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * The VM manager end to end with real QEMU (TCG) and the demo guest: create, hibernate (a version
 * committed, the process gone), wake through the API and through DNS, the guest's RAM counter intact.
 */
class VmLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private Server server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        Path image = GuestImage.directory();
        Path demo = Files.createDirectories(dir.resolve("data/images/demo"));
        Files.copy(image.resolve("vmlinuz"), demo.resolve("vmlinuz"));
        Files.copy(image.resolve("initrd.img"), demo.resolve("initrd.img"));
        DormouseConfig config = ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), Map.of(
                "data-dir", dir.resolve("data").toString(),
                "api.listen", "127.0.0.1:0",
                "dns.listen", "127.0.0.1:0",
                "vm.hypervisor", "qemu",
                "vm.accel", "tcg",
                "vm.ready-timeout", "2m"));
        server = Server.start(config);
        token = Files.readString(dir.resolve("data/api-token")).strip();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void hibernatesAndWakesARealGuestWithItsMemoryIntact() throws Exception {
        JsonNode created = post("/v1/vms?wait=true", "{\"name\":\"demo-1\",\"demo\":true}", 201);
        assertThat(created.path("state").asText()).isEqualTo("running");
        String address = created.path("address").asText();
        long first = count(address);
        assertThat(count(address)).isEqualTo(first + 1);
        List<Long> qemuBefore = qemuProcesses();
        assertThat(qemuBefore).as("QEMU processes while demo-1 runs").isNotEmpty();

        JsonNode asleep = post("/v1/vms/demo-1/hibernate?wait=true", "{}", 200);
        assertThat(asleep.path("state").asText()).isEqualTo("hibernated");
        assertThat(asleep.path("snapshotVersion").asLong()).isEqualTo(1);
        assertThat(get("/v1/vms/demo-1/snapshots")).hasSize(1);
        assertThat(qemuProcesses()).as("the hibernated VM's QEMU is gone").doesNotContainAnyElementsOf(qemuBefore);

        JsonNode awake = post("/v1/vms/demo-1/wake?wait=true", "{}", 200);
        assertThat(awake.path("state").asText()).isEqualTo("running");
        assertThat(count(awake.path("address").asText())).as("the counter continues").isEqualTo(first + 2);
        // one wake within vm.wake-rate-window: the pool pre-starts a process of this shape for the next one
        for (int i = 0; i < 100 && metric("dormouse_pool_size") < 1; i++) {
            Thread.sleep(100);
        }
        assertThat(metric("dormouse_pool_size")).isEqualTo(1.0);
        assertThat(metric("dormouse_pool_wake_rate")).as("wakes per minute over 10 minutes").isEqualTo(0.1);

        post("/v1/vms/demo-1/hibernate?wait=true", "{}", 200);
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort()));
        resolver.setTimeout(Duration.ofSeconds(30));
        Message answer = query(resolver);
        for (int i = 0; i < 60 && answer.getSection(Section.ANSWER).stream().noneMatch(r -> r instanceof ARecord a
                && !a.getAddress().getHostAddress().startsWith("127.2.")); i++) {
            Thread.sleep(500); // first answers give the front address while the wake outlasts the hold budget
            answer = query(resolver);
        }
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        String woken = ((ARecord) answer.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress();
        assertThat(woken).isEqualTo(get("/v1/vms/demo-1").path("address").asText());
        assertThat(count(woken)).as("woken by DNS, the counter still continues").isEqualTo(first + 3);
        assertThat(get("/v1/vms/demo-1/events")).extracting(e -> e.path("reason").asText())
                .containsExactly("api", "api", "api", "api", "dns");
    }

    @Test
    void aGuaranteedVmWakesThroughItsPreparedRestore() throws Exception {
        JsonNode created = post("/v1/vms?wait=true",
                "{\"name\":\"demo-1\",\"demo\":true,\"slaClass\":\"gold\",\"keepReserved\":true}", 201);
        long first = count(created.path("address").asText());

        post("/v1/vms/demo-1/hibernate?wait=true", "{}", 200);
        // the provisioning round (vm.fleet-sync) materializes version 1 ahead and prepares its restore
        for (int i = 0; i < 600 && metric("dormouse_pool_prepared") < 1; i++) {
            Thread.sleep(100);
        }
        assertThat(metric("dormouse_pool_prepared")).as("guaranteed VMs with a prepared restore").isEqualTo(1.0);
        assertThat(metric("dormouse_snapshot_cache_ahead_total")).isEqualTo(1.0);

        JsonNode awake = post("/v1/vms/demo-1/wake?wait=true", "{}", 200);
        for (int i = 0; i < 50 && metric("dormouse_vm_wakes_total") < 1; i++) {
            Thread.sleep(100); // counted just after the VM is recorded running
        }
        assertThat(metric("dormouse_vm_wakes_total{source=\"prepared\"}")).as("wakes through a prepared process")
                .isEqualTo(1.0);
        assertThat(metric("dormouse_snapshot_cache_restores_total{outcome=\"hit\"}")).isEqualTo(1.0);
        assertThat(count(awake.path("address").asText())).as("the counter continues").isEqualTo(first + 1);

        // a newer version is prepared again; terminating the VM ends the prepared process
        post("/v1/vms/demo-1/hibernate?wait=true", "{}", 200);
        for (int i = 0; i < 600 && metric("dormouse_snapshot_cache_ahead_total") < 2; i++) {
            Thread.sleep(100);
        }
        for (int i = 0; i < 100 && preparedProcesses("demo-1").isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(preparedProcesses("demo-1")).as("the process prepared for version 2").hasSize(1);
        post("/v1/vms/demo-1/terminate?wait=true", "{}", 200);
        for (int i = 0; i < 100 && !preparedProcesses("demo-1").isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(preparedProcesses("demo-1")).as("QEMU processes of the terminated VM").isEmpty();
    }

    /** QEMU processes whose RAM file is in the VM's own directory: prepared (or running) for it. */
    private static List<Long> preparedProcesses(String vm) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .filter(p -> p.info().commandLine().map(c -> c.contains("/" + vm + "/ram-")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private double metric(String name) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort()
                + "/metrics")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        // name{label="value"} sums the lines of that meter carrying that label
        String meter = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
        String label = name.contains("{") ? name.substring(name.indexOf('{') + 1, name.length() - 1) : "";
        return res.body().lines().filter(l -> (l.startsWith(meter + " ") || l.startsWith(meter + "{"))
                        && l.substring(0, l.lastIndexOf(' ')).contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static Message query(SimpleResolver resolver) throws Exception {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString("demo-1.dormouse.test."), Type.A, DClass.IN)));
    }

    private static List<Long> qemuProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private static long count(String address) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":80/cgi-bin/count"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
        return Long.parseLong(body.substring(body.indexOf('=') + 1));
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return JSON.readTree(res.body());
    }
}
