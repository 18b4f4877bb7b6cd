package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP front door in front of a real guest (QEMU, TCG): curl at a hibernated VM's front address
 * wakes it and gets the guest's answer; a burst over the hold limit during one wake is served up to
 * the limit and the rest closed cleanly; an excluded source is served but not metered.
 */
class FrontDoorIT {

    private static final String VM = "demo-1";
    private static final int HOLD_LIMIT = 50;
    /** A source address the front door is told to ignore as demand, as a health checker's would be. */
    private static final String EXCLUDED = "127.0.0.9";
    private static final Pattern COUNT = Pattern.compile("count=(\\d+)");

    @TempDir
    static Path dir;

    private static DemoServer server;
    private static String front;

    @BeforeAll
    static void start() throws Exception {
        ExternalProgram.CURL.require();
        server = DemoServer.start(dir, Map.of("front.hold-limit", Integer.toString(HOLD_LIMIT),
                "front.hold-timeout", "2m", "telemetry.excluded-sources", EXCLUDED + "/32"));
        server.createDemo(VM);
        front = server.vm(VM).path("frontAddress").asText();
        assertThat(front).as("front address").startsWith("127.2.");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void curlAtAHibernatedGuestsFrontAddressWakesItAndGetsItsAnswer() throws Exception {
        long before = asleep();
        long start = System.nanoTime();
        String out = curl("http://" + front + ":80/cgi-bin/count");
        long took = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("FrontDoorIT: curl through the front door of the hibernated %s answered in %d ms%n",
                VM, took);

        Matcher m = COUNT.matcher(out);
        assertThat(m.find()).as("the guest's counter in\n" + out).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("the counter continues: memory intact").isEqualTo(before + 1);
        assertThat(server.vm(VM).path("state").asText()).isEqualTo("running");
        assertThat(server.eventReasons(VM)).last().isEqualTo("running:front");
    }

    @Test
    void aBurstDuringOneWakeIsServedUpToTheHoldLimitAndTheRestClosedCleanly() throws Exception {
        long before = asleep();
        List<String> eventsBefore = server.eventReasons(VM);
        int connections = HOLD_LIMIT + 1;
        List<String> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> pending = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                pending.add(pool.submit((Callable<String>) FrontDoorIT::rawGet));
            }
            for (Future<String> f : pending) {
                answers.add(f.get());
            }
        }
        long served = answers.stream().filter(a -> a.startsWith("HTTP/1.")).count();
        long closed = answers.stream().filter(String::isEmpty).count();
        System.out.printf("FrontDoorIT: %d connections during one wake: %d answered by the guest, %d closed empty,"
                + " others: %s%n", connections, served, closed,
                answers.stream().filter(a -> !a.isEmpty() && !a.startsWith("HTTP/1.")).toList());

        assertThat(served).as("connections held and answered").isEqualTo(HOLD_LIMIT);
        assertThat(closed).as("connections over the hold limit: end of stream, nothing else").isEqualTo(1);
        Set<Long> counts = new HashSet<>();
        for (String a : answers) {
            Matcher m = COUNT.matcher(a);
            if (m.find()) {
                counts.add(Long.parseLong(m.group(1)));
            }
        }
        assertThat(counts).as("each request counted once, continuing from before the hibernation")
                .hasSize(HOLD_LIMIT).allMatch(c -> c > before && c <= before + HOLD_LIMIT);
        List<String> events = server.eventReasons(VM);
        assertThat(events.subList(eventsBefore.size(), events.size())).as("transitions after the burst")
                .containsExactly("running:front");
        assertThat(server.counter("dormouse_front_refused_total", "reason=\"hold-limit\"")).isEqualTo(1.0);
    }

    @Test
    void trafficFromAnExcludedSourceIsServedButNotCounted() throws Exception {
        awake();
        String labels = "vm=\"" + VM + "\"";
        double opened = server.counter("dormouse_front_connections_total", labels);
        double bytes = server.counter("dormouse_front_bytes_total", labels);

        String out = curl("--interface", EXCLUDED, "http://" + front + ":80/cgi-bin/count");
        assertThat(out).contains("count=");
        assertThat(server.counter("dormouse_front_connections_total", labels)).as("connections counted")
                .isEqualTo(opened);
        assertThat(server.counter("dormouse_front_bytes_total", labels)).as("bytes counted").isEqualTo(bytes);

        curl("http://" + front + ":80/cgi-bin/count");
        for (int i = 0; i < 50 && server.counter("dormouse_front_connections_total", labels) < opened + 1; i++) {
            Thread.sleep(100); // the kernel's counts of routed connections are read at most every 100 ms
        }
        assertThat(server.counter("dormouse_front_connections_total", labels)).as("a counted source")
                .isEqualTo(opened + 1);
    }

    @Test
    void aRunningVmsConnectionsAreRoutedByTheKernelUntilItHibernates() throws Exception {
        awake();
        for (int i = 0; i < 50 && server.activity(VM).path("routed").isEmpty(); i++) {
            Thread.sleep(100); // routed at the front door's next sync after the wake
        }
        assertThat(server.activity(VM).path("routed")).extracting(JsonNode::asText).containsExactly(front + ":80");
        long opened = server.activity(VM).path("opened").asLong();

        String out = curl("http://" + front + ":80/cgi-bin/count");
        assertThat(out).contains("count=");
        for (int i = 0; i < 50 && server.activity(VM).path("opened").asLong() < opened + 1; i++) {
            Thread.sleep(100);
        }
        JsonNode activity = server.activity(VM);
        assertThat(activity.path("opened").asLong()).as("the routed connection is counted").isEqualTo(opened + 1);
        assertThat(activity.path("bytesOut").asLong()).as("and its bytes").isGreaterThan(out.length());

        server.hibernate(VM);
        assertThat(server.activity(VM).path("routed")).as("withdrawn once it hibernates").isEmpty();
        out = curl("http://" + front + ":80/cgi-bin/count");
        assertThat(out).as("held by the front door and woken").contains("count=");
        assertThat(server.eventReasons(VM)).last().isEqualTo("running:front");
    }

    /** One HTTP/1.0 request on a raw socket: everything the server sent before it closed, "" for nothing. */
    private static String rawGet() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(front, 80), 10_000);
            s.setSoTimeout(120_000);
            s.getOutputStream().write("GET /cgi-bin/count HTTP/1.0\r\nHost: demo\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String curl(String... args) {
        List<String> all = new ArrayList<>(List.of("-sS", "--max-time", "120"));
        all.addAll(List.of(args));
        return ExternalProgram.CURL.run(Duration.ofMinutes(3), all.toArray(String[]::new));
    }

    /** Hibernates the VM (waking it first if needed); returns the guest's counter just before. */
    private static long asleep() throws Exception {
        awake();
        long counter = DemoServer.count(server.vm(VM).path("address").asText());
        server.hibernate(VM);
        return counter;
    }

    private static void awake() throws Exception {
        if (!server.vm(VM).path("state").asText().equals("running")) {
            curl("http://" + front + ":80/healthz");
        }
    }
}
