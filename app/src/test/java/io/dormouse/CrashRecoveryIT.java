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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process killed with SIGKILL at seeded random points of hibernations and restores of two
 * QEMU demo guests, then started again, round after round: every VM is there, Running or Hibernated, no
 * transition is left open, no QEMU process or RAM file of a killed server is left, and every VM's memory
 * (the demo counter) is that of its last committed version; a third guest, never hibernated, boots afresh.
 * A clean stop (SIGTERM) at the end keeps the memory of the running VMs. {@code -Dcrash.seed=N} replays
 * a run; {@code -Dcrash.rounds=N} changes its length.
 */
class CrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The VMs whose hibernations and restores are cut short. */
    private static final List<String> VMS = List.of("crash-a", "crash-b");
    /** A VM that runs and is never hibernated: with no version to go back to, each restart boots it afresh. */
    private static final String NEVER_SAVED = "crash-c";

    /** Kept when the test fails: {@code serve.log} tells what each server did. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private Process server;
    private int port;
    private String token;
    /** Per VM: the counter each committed version holds. */
    private final Map<String, TreeMap<Long, Long>> versions = new HashMap<>();
    /** Per VM: its counter while it runs. */
    private final Map<String, Long> live = new HashMap<>();

    /** A clean stop ends the last server's QEMU processes; any a failure left behind are ended too. */
    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(90, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
        for (long pid : qemuProcesses()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void everyVmSurvivesKillsAtRandomPointsWithItsLastCommittedMemory() throws Exception {
        long seed = Long.getLong("crash.seed", System.currentTimeMillis());
        int rounds = Integer.getInteger("crash.rounds", 12);
        System.out.println("CrashRecoveryIT: seed " + seed + ", " + rounds + " rounds (-Dcrash.seed=" + seed
                + " replays them)");
        SplittableRandom random = new SplittableRandom(seed);
        Path image = GuestImage.directory();
        Path demo = Files.createDirectories(dir.resolve("data/images/demo"));
        Files.copy(image.resolve("vmlinuz"), demo.resolve("vmlinuz"));
        Files.copy(image.resolve("initrd.img"), demo.resolve("initrd.img"));
        start();
        for (String vm : List.of("crash-a", "crash-b", NEVER_SAVED)) {
            post("/v1/vms?wait=true", "{\"name\":\"" + vm + "\",\"demo\":true}");
            versions.put(vm, new TreeMap<>());
            live.put(vm, count(get("/v1/vms/" + vm).path("address").asText(), 1));
        }
        // every VM has a version from here on; how long a later (incremental) hibernation and a wake take
        // here bounds the random kill points
        for (String vm : VMS) {
            hibernate(vm);
            wakeAndCheck(vm, "setup");
        }
        long hibernateMillis = timed(() -> hibernate("crash-a"));
        long wakeMillis = timed(() -> wakeAndCheck("crash-a", "calibration"));
        System.out.printf("CrashRecoveryIT: hibernate %d ms, wake %d ms%n", hibernateMillis, wakeMillis);

        List<String> log = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String what = "seed " + seed + ", round " + round;
            String vm = VMS.get(random.nextInt(VMS.size()));
            boolean restore = random.nextBoolean();
            long before = last(vm);
            long delay;
            if (restore) {
                hibernate(vm);
                before = last(vm);
                delay = random.nextLong(0, wakeMillis * 13 / 10 + 1);
                post("/v1/vms/" + vm + "/wake", "{}");
            } else {
                String address = get("/v1/vms/" + vm).path("address").asText();
                live.put(vm, count(address, live.get(vm) + 1));
                delay = random.nextLong(0, hibernateMillis * 13 / 10 + 1);
                post("/v1/vms/" + vm + "/hibernate", "{}");
            }
            Thread.sleep(delay);
            List<Long> killed = qemuProcesses();
            server.destroyForcibly();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

            start();
            assertThat(qemuProcesses()).as(what + ": QEMU processes of the killed server")
                    .doesNotContainAnyElementsOf(killed);
            assertThat(leftovers()).as(what + ": RAM files and saves the killed server left").isEmpty();
            JsonNode vms = get("/v1/vms");
            assertThat(vms).as(what + ": no VM lost").hasSize(VMS.size() + 1);
            awaitFreshBoot(what);
            for (JsonNode v : get("/v1/vms")) {
                String name = v.path("name").asText();
                assertThat(v.path("state").asText()).as(what + ": " + name).isIn("running", "hibernated");
                assertThat(get("/v1/vms/" + name + "/events")).as(what + ": " + name + " has no open transition")
                        .allSatisfy(e -> assertThat(e.path("completedAt").isNull()).isFalse());
                long version = v.path("snapshotVersion").asLong();
                if (!restore && name.equals(vm) && version > before) {
                    versions.get(vm).put(version, live.get(vm)); // the hibernation committed before the kill
                }
            }
            log.add(String.format("round %2d: %-8s %s after %4d ms -> %s version %d", round, restore ? "restore" : "hibernate",
                    vm, delay, get("/v1/vms/" + vm).path("state").asText(), last(vm)));
            for (String name : VMS) {
                wakeAndCheck(name, what);
            }
            assertThat(qemuProcesses()).as(what + ": every QEMU process of the data directory is the new server's")
                    .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                            .map(ProcessHandle::pid)).contains(server.pid()));
        }
        log.forEach(line -> System.out.println("CrashRecoveryIT: " + line));

        // a clean stop hibernates the running VMs: their memory survives as it was, not as last committed
        List<String> all = List.of("crash-a", "crash-b", NEVER_SAVED);
        for (String vm : all) {
            live.put(vm, count(get("/v1/vms/" + vm).path("address").asText(), live.get(vm) + 1));
        }
        List<Long> before = qemuProcesses();
        server.destroy();
        assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("a clean stop within 90 s").isTrue();
        assertThat(qemuProcesses()).as("QEMU processes after a clean stop").doesNotContainAnyElementsOf(before);
        start();
        for (String vm : all) {
            JsonNode v = get("/v1/vms/" + vm);
            assertThat(v.path("state").asText()).as(vm + " after a clean stop").isEqualTo("hibernated");
            JsonNode events = get("/v1/vms/" + vm + "/events");
            assertThat(events.get(events.size() - 1).path("reason").asText()).isEqualTo("shutdown");
            versions.get(vm).put(v.path("snapshotVersion").asLong(), live.get(vm));
            wakeAndCheck(vm, "after a clean stop");
        }
    }

    /** The never-hibernated VM, booted afresh by the restarted server: running, its counter new. */
    private void awaitFreshBoot(String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode v = get("/v1/vms/" + NEVER_SAVED);
        while (!v.path("state").asText().equals("running") && System.nanoTime() < deadline) {
            JsonNode events = get("/v1/vms/" + NEVER_SAVED + "/events");
            JsonNode last = events.get(events.size() - 1);
            assertThat(v.path("state").asText()).as(what + ": " + NEVER_SAVED + " boots afresh; its events: " + events)
                    .isIn("failed", "provisioning");
            assertThat(last.path("to").asText() + ":" + last.path("outcome").asText())
                    .as(what + ": " + NEVER_SAVED + " boots afresh; its events: " + events + "; log in " + dir)
                    .isNotEqualTo("running:failed");
            Thread.sleep(100);
            v = get("/v1/vms/" + NEVER_SAVED);
        }
        assertThat(v.path("state").asText()).as(what + ": " + NEVER_SAVED + " booted afresh; its events: "
                + get("/v1/vms/" + NEVER_SAVED + "/events") + "; log in " + dir).isEqualTo("running");
        live.put(NEVER_SAVED, count(v.path("address").asText(), 1));
    }

    /** Hibernates a running VM and records the counter its new version holds. */
    private void hibernate(String vm) throws Exception {
        JsonNode v = post("/v1/vms/" + vm + "/hibernate?wait=true", "{}");
        assertThat(v.path("state").asText()).isEqualTo("hibernated");
        versions.get(vm).put(v.path("snapshotVersion").asLong(), live.get(vm));
    }

    /**
     * Wakes the VM if it sleeps and checks its counter: one more than its last committed version holds, or
     * than it had when it ran on.
     */
    private void wakeAndCheck(String vm, String what) throws Exception {
        JsonNode v = get("/v1/vms/" + vm);
        long expected;
        if (v.path("state").asText().equals("running")) {
            expected = live.get(vm) + 1;
        } else {
            long version = v.path("snapshotVersion").asLong();
            assertThat(versions.get(vm)).as(what + ": " + vm + " is at a version it committed").containsKey(version);
            expected = versions.get(vm).get(version) + 1;
            v = post("/v1/vms/" + vm + "/wake?wait=true", "{}");
        }
        live.put(vm, count(v.path("address").asText(), expected));
    }

    private long last(String vm) throws Exception {
        return get("/v1/vms/" + vm).path("snapshotVersion").asLong();
    }

    private static long count(String address, long expected) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":80/cgi-bin/count"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
        long counted = Long.parseLong(body.substring(body.indexOf('=') + 1));
        assertThat(counted).as("the demo counter at " + address + " (memory of the guest)").isEqualTo(expected);
        return counted;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** RAM files no QEMU process uses, and saves: right after a start, no save is under way. */
    private List<Path> leftovers() throws Exception {
        List<Path> found;
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            found = files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("ram-")
                    || f.toString().contains("/saves/")).toList();
        }
        // listed after the files, so that every RAM file found has its process already
        String inUse = ProcessHandle.allProcesses().map(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse(""))
                .filter(args -> args.contains("mem-path=")).reduce("", String::concat);
        return found.stream().filter(f -> !inUse.contains(f.toString() + ",")).toList();
    }

    /** QEMU processes whose files live in this test's data directory, whoever started them. */
    private List<Long> qemuProcesses() {
        String data = dir.resolve("data").toAbsolutePath().normalize() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).stream().anyMatch(s -> s.contains(data)))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    private void start() throws Exception {
        ServerProcess started = ServerProcess.start(dir, Map.of(
                "DORMOUSE_DATA_DIR", dir.resolve("data").toString(),
                "DORMOUSE_VM_ACCEL", "tcg",
                "DORMOUSE_VM_READY_TIMEOUT", "2m",
                "DORMOUSE_VM_POOL_MAX", "2"), Duration.ofSeconds(90));
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
