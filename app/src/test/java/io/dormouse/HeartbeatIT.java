package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
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
 * Heartbeats against real QEMU guests whose HTTP service is stopped from inside ({@code /cgi-bin/stop-http}):
 * each is marked unhealthy within the configured misses, DNS and the API say so, an event records it, and
 * its policy follows: kept as it is, booted afresh, or restored to its last committed version.
 */
class HeartbeatIT {

    private static final int MISSES = 3;
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** The guest ends httpd a second after answering, plus a probe round's own time and the chore's phase. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private DemoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGuestWhoseHttpStopsIsUnhealthyWithinItsMissesAndRecoversByItsPolicy() throws Exception {
        server = DemoServer.start(dir, Map.of("vm.heartbeat-interval", "1s",
                "vm.heartbeat-misses", Integer.toString(MISSES)));
        String keep = server.createDemo("keep-1");
        String restart = server.createDemo("restart-1", "\"onUnhealthy\": \"restart\"");
        String first = server.createDemo("restore-1", "\"onUnhealthy\": \"restore\"");
        assertThat(DemoServer.count(restart)).isEqualTo(1);
        assertThat(DemoServer.count(restart)).isEqualTo(2);
        assertThat(DemoServer.count(first)).isEqualTo(1);
        server.hibernate("restore-1"); // version 1 holds a counter of 1
        String restore = server.wake("restore-1");
        assertThat(DemoServer.count(restore)).isEqualTo(2);
        assertThat(DemoServer.count(restore)).isEqualTo(3);
        assertThat(server.vm("keep-1").path("healthy").asBoolean()).isTrue();

        long stopped = System.nanoTime();
        for (String address : new String[] {keep, restart, restore}) {
            assertThat(stopHttp(address)).contains("stopping http");
        }

        Duration took = within(MISSES * INTERVAL.toMillis() + SLACK.toMillis(), stopped,
                () -> !server.vm("keep-1").path("healthy").asBoolean());
        System.out.println("HeartbeatIT: keep-1 unhealthy " + took.toMillis() + " ms after its HTTP service was stopped"
                + " (" + MISSES + " misses x " + INTERVAL.toMillis() + " ms)");
        JsonNode last = lastEvent("keep-1");
        assertThat(last.path("from").asText()).isEqualTo("running");
        assertThat(last.path("to").asText()).isEqualTo("running");
        assertThat(last.path("reason").asText()).isEqualTo("reconcile");
        assertThat(last.path("error").asText()).contains("missed " + MISSES + " heartbeats");
        assertThat(dnsRcode("keep-1")).as("DNS for an unhealthy VM").isEqualTo(Rcode.SERVFAIL);
        Thread.sleep(3 * INTERVAL.toMillis());
        JsonNode kept = server.vm("keep-1");
        assertThat(kept.path("state").asText()).as("policy keep: left running").isEqualTo("running");
        assertThat(kept.path("healthy").asBoolean()).as("still not answering").isFalse();
        assertThat(transitions("keep-1")).as("one event for the whole silence")
                .containsExactly("provisioning:running:api", "running:running:reconcile");

        within(120_000, stopped, () -> healthyAgain("restart-1"));
        assertThat(transitions("restart-1")).as("restart: stopped and booted afresh")
                .endsWith("running:running:reconcile", "running:stopped:reconcile", "stopped:running:reconcile");
        assertThat(DemoServer.count(server.vm("restart-1").path("address").asText()))
                .as("booted afresh, the counter starts over").isEqualTo(1);

        within(120_000, stopped, () -> healthyAgain("restore-1"));
        assertThat(transitions("restore-1")).as("restore: failed, then its last version restored")
                .endsWith("running:running:reconcile", "running:failed:reconcile", "failed:running:reconcile");
        assertThat(DemoServer.count(server.vm("restore-1").path("address").asText()))
                .as("the memory of version 1 (counter 1), not of the process that stopped serving").isEqualTo(2);
        assertThat(dnsRcode("restore-1")).as("DNS answers a recovered VM").isEqualTo(Rcode.NOERROR);
    }

    private boolean healthyAgain(String vm) throws Exception {
        JsonNode v = server.vm(vm);
        return v.path("state").asText().equals("running") && v.path("healthy").asBoolean()
                && transitions(vm).stream().anyMatch(t -> t.endsWith(":running:reconcile") && !t.startsWith("running:"));
    }

    private List<String> transitions(String vm) throws Exception {
        return StreamSupport.stream(server.events(vm).spliterator(), false)
                .map(e -> e.path("from").asText() + ":" + e.path("to").asText() + ":" + e.path("reason").asText())
                .toList();
    }

    private JsonNode lastEvent(String vm) throws Exception {
        JsonNode events = server.events(vm);
        return events.get(events.size() - 1);
    }

    /** Waits until {@code done} holds, at most {@code millis} after {@code since}; returns the time it took. */
    private static Duration within(long millis, long since, Callable<Boolean> done) throws Exception {
        while (!done.call()) {
            assertThat(Duration.ofNanos(System.nanoTime() - since).toMillis()).as("waited for more than " + millis + " ms")
                    .isLessThan(millis);
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private static String stopHttp(String address) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":80/cgi-bin/stop-http"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int dnsRcode(String vm) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort()));
        resolver.setTimeout(Duration.ofSeconds(10));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(vm + ".dormouse.test."), Type.A,
                DClass.IN))).getRcode();
    }
}
