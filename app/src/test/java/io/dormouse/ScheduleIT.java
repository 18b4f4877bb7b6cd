package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler end to end with real QEMU (TCG) and the demo guest, at accelerated time: with
 * {@code schedule.time-scale} 3600 one second of the clock is one hour of demand, so a day is 24 s. The
 * VM's demand is busy from 09:00 to 12:00 every day; the scheduler, forecasting from two weeks of that
 * history, hibernates it in the quiet hours and wakes it ahead of the next burst, so that the burst's
 * first request finds it running. At this pace a hibernation and a restore of the guest under TCG take
 * hours of series time (seconds of the clock), so the policy asks for 8 quiet hours before hibernating
 * and a wake margin of 4 hours.
 */
class ScheduleIT {

    private static final int DAY = 24;
    private static final int BURST_FROM = 9;
    private static final int BURST_UNTIL = 12;

    @TempDir
    Path dir;

    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(dir, Map.of(
                "schedule.mode", "act",
                "schedule.interval", "1s",
                "schedule.step", "1h",
                "schedule.history", "14d",
                "schedule.time-scale", "3600",
                "schedule.refit-interval", "1m",
                // the front door's minimum time awake runs in real time, not at the series' 3600x
                "front.min-awake", "0s"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Series hour of day of a clock instant: at 3600x, hour {@code h} since the epoch is clock second {@code h}. */
    private static long hourOfDay(Instant clock) {
        return Math.floorMod(clock.getEpochSecond(), DAY);
    }

    private static double demandAt(long epochSecond) {
        long hour = Math.floorMod(epochSecond, DAY);
        return hour >= BURST_FROM && hour < BURST_UNTIL ? 20.0 : 0.0;
    }

    @Test
    void hibernatesInTheQuietHoursAndWakesAheadOfTheNextBurst() throws Exception {
        server.createDemo("demo-1");
        // two weeks of history and three days ahead, one sample per series hour; the scheduler reads
        // only the samples up to its clock, as if a sampler wrote them as time passes
        long now = Instant.now().getEpochSecond();
        StringBuilder samples = new StringBuilder("{\"samples\":[");
        for (long s = now - 14 * DAY; s < now + 3 * DAY; s++) {
            samples.append(s == now - 14 * DAY ? "" : ",").append('[').append(s * 1000).append(',')
                    .append(demandAt(s)).append(']');
        }
        server.post("/v1/vms/demo-1/series/demand", samples.append("]}").toString(), 200);
        JsonNode policy = server.put("/v1/vms/demo-1/schedule", "{\"kind\":\"predictive\",\"hibernateBelow\":2,"
                + "\"wakeAbove\":5,\"hibernateAfter\":\"8h\",\"wakeMargin\":\"4h\",\"minimumAwake\":\"2h\"}");
        assertThat(policy.path("policy").path("hibernateAfter").asText()).isEqualTo("8h");

        JsonNode hibernation = awaitEvent("hibernated", Instant.EPOCH, Duration.ofSeconds(90));
        assertThat(hibernation.path("reason").asText()).isEqualTo("schedule");
        JsonNode decided = server.get("/v1/vms/demo-1/schedule").path("decisions");
        assertThat(decided).anySatisfy(d -> {
            assertThat(d.path("action").asText()).isEqualTo("hibernate");
            assertThat(d.path("cause").asText()).isEqualTo("quiet-predicted");
            assertThat(d.path("acted").asBoolean()).isTrue();
        });

        // the next burst after the hibernation completed: when it begins, the VM runs again, and its last
        // two transitions before it are the scheduler's, a hibernation in the quiet hours and a wake ahead
        Instant asleep = Instant.parse(hibernation.path("completedAt").asText());
        long burst = asleep.getEpochSecond() + 1;
        while (Math.floorMod(burst, DAY) != BURST_FROM) {
            burst++;
        }
        Instant burstStart = Instant.ofEpochSecond(burst);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), burstStart).toMillis()));
        JsonNode vm = server.vm("demo-1");
        assertThat(vm.path("state").asText()).as("state when the burst begins at " + burstStart).isEqualTo("running");
        assertThat(DemoServer.count(vm.path("address").asText())).as("the burst's first request").isPositive();

        List<JsonNode> before = StreamSupport.stream(server.get("/v1/vms/demo-1/events").spliterator(), false)
                .filter(e -> Instant.parse(e.path("startedAt").asText()).isBefore(burstStart)).toList();
        assertThat(before).as("transitions before the burst").hasSizeGreaterThanOrEqualTo(3);
        JsonNode sleep = before.get(before.size() - 2);
        JsonNode wake = before.getLast();
        String timeline = before.stream().map(e -> e.path("to").asText() + ":" + e.path("reason").asText() + " at "
                + e.path("startedAt").asText() + "-" + e.path("completedAt").asText()).toList() + ", burst at " + burstStart;
        assertThat(sleep.path("to").asText() + ":" + sleep.path("reason").asText()).as(timeline)
                .isEqualTo("hibernated:schedule");
        assertThat(hourOfDay(Instant.parse(sleep.path("startedAt").asText()))).as("quiet hour of " + timeline)
                .satisfiesAnyOf(h -> assertThat(h).isLessThan(BURST_FROM), h -> assertThat(h).isGreaterThanOrEqualTo(BURST_UNTIL));
        assertThat(wake.path("to").asText() + ":" + wake.path("reason").asText()).as(timeline)
                .isEqualTo("running:schedule");
        Instant ready = Instant.parse(wake.path("completedAt").asText());
        assertThat(ready).as("woken ahead: " + timeline).isBefore(burstStart);
        System.out.printf("ScheduleIT: %s; hibernated at series hour %d, running %d ms before the burst (restore %d ms)%n",
                timeline, hourOfDay(Instant.parse(sleep.path("startedAt").asText())),
                Duration.between(ready, burstStart).toMillis(), wake.path("durationMs").asLong());
    }

    /** The first completed transition to {@code state} that began after {@code after}, waiting up to {@code within}. */
    private JsonNode awaitEvent(String state, Instant after, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        List<String> seen = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            JsonNode events = server.get("/v1/vms/demo-1/events");
            seen.clear();
            for (JsonNode e : StreamSupport.stream(events.spliterator(), false).toList()) {
                seen.add(e.path("to").asText() + ":" + e.path("reason").asText() + ":" + e.path("outcome").asText());
                if (e.path("to").asText().equals(state) && "succeeded".equals(e.path("outcome").asText())
                        && Instant.parse(e.path("startedAt").asText()).isAfter(after)) {
                    return e;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no completed transition to " + state + " after " + after + " within " + within
                + "; events: " + seen + "; schedule: " + server.get("/v1/vms/demo-1/schedule"));
    }
}
