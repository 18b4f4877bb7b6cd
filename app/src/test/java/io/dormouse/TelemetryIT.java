package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry of a real QEMU guest (TCG, the demo image): the CPU, resident memory and balloon size of its
 * QEMU process appear in the series API and as gauges, and go when it hibernates.
 */
class TelemetryIT {

    @TempDir
    Path dir;
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(dir, Map.of("telemetry.interval", "1s"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void cpuAndMemoryOfTheRunningGuestAppearInItsSeries() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        String address = server.createDemo("tele-1");
        long first = DemoServer.count(address);
        assertThat(DemoServer.count(address)).isEqualTo(first + 1);

        JsonNode rss = await("rss_bytes", from, s -> s.path("points").size() >= 3);
        JsonNode cpu = await("cpu", from, s -> s.path("points").size() >= 2);
        double qemuRss = psRssBytes(qemuPid());
        double sampledRss = last(rss);
        assertThat(sampledRss).as("sampled RSS against ps's %s bytes", qemuRss)
                .isBetween(qemuRss * 0.7, qemuRss * 1.3).isGreaterThan(16 << 20);
        double cpuSeconds = 0;
        for (JsonNode p : cpu.path("points")) {
            assertThat(p.get(1).asDouble()).as("CPU in cores").isBetween(0.0, Runtime.getRuntime().availableProcessors() + 0.5);
            cpuSeconds += p.get(1).asDouble();
        }
        assertThat(cpuSeconds).as("an emulated guest keeps its QEMU busy now and then").isPositive();
        long memoryMib = server.vm("tele-1").path("spec").path("memoryMib").asLong();
        assertThat(last(await("balloon_bytes", from, s -> !s.path("points").isEmpty())))
                .as("virtio-balloon reports the whole guest memory, no balloon inflated").isEqualTo(memoryMib << 20);
        assertThat(last(await("demand", from, s -> s.path("points").size() >= 3))).isZero();
        String metrics = server.metrics();
        assertThat(metrics).contains("dormouse_vm_cpu{application=\"dormouse\",vm=\"tele-1\"}")
                .contains("dormouse_vm_memory_rss_bytes{application=\"dormouse\",vm=\"tele-1\"}");

        server.hibernate("tele-1");
        Instant asleep = Instant.now();
        await("demand", asleep, s -> s.path("points").size() >= 2);
        assertThat(series("rss_bytes", asleep.plusSeconds(1)).path("points")).as("no process, no memory samples").isEmpty();
        assertThat(server.metrics()).contains("dormouse_vm_demand{application=\"dormouse\",vm=\"tele-1\"}")
                .doesNotContain("dormouse_vm_memory_rss_bytes{application=\"dormouse\",vm=\"tele-1\"}");
    }

    private JsonNode series(String metric, Instant from) throws Exception {
        return server.get("/v1/vms/tele-1/series?metric=" + metric + "&from=" + from + "&to=" + Instant.now().plusSeconds(5));
    }

    private JsonNode await(String metric, Instant from, Predicate<JsonNode> done) throws Exception {
        JsonNode series = series(metric, from);
        for (int i = 0; i < 150 && !done.test(series); i++) {
            Thread.sleep(200);
            series = series(metric, from);
        }
        assertThat(done).as("series %s: %s", metric, series).accepts(series);
        return series;
    }

    private static double last(JsonNode series) {
        JsonNode points = series.path("points");
        return points.get(points.size() - 1).get(1).asDouble();
    }

    /** The QEMU process this test's server started: a descendant of this JVM. */
    private static long qemuPid() {
        List<ProcessHandle> qemus = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").contains("qemu-system")).toList();
        assertThat(qemus).as("QEMU processes of this server").hasSize(1);
        return qemus.getFirst().pid();
    }

    /** Resident memory as procps's ps reports it, read independently of the sampler's own parsing. */
    private static double psRssBytes(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ps.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("ps output (Debian package procps)").matches("[0-9]+");
        return Long.parseLong(out) * 1024.0;
    }
}
