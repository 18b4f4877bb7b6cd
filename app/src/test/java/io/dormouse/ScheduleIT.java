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
 * first request finds it running.
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
                "schedule.refit-interval", "1m"));
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
        String address = server.createDemo("demo-1");
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
                + "\"wakeAbove\":5,\"hibernateAfter\":\"3h\",\"wakeMargin\":\"3h\",\"minimumAwake\":\"2h\"}");
        assertThat(policy.path("policy").path("hibernateAfter").asText()).isEqualTo("3h");

        JsonNode hibernation = awaitEvent("hibernated", Instant.EPOCH, Duration.ofSeconds(90));
        Instant asleepFrom = Instant.parse(hibernation.path("startedAt").asText());
        assertThat(hibernation.path("reason").asText()).isEqualTo("schedule");
        assertThat(hourOfDay(asleepFrom)).as("series hour the hibernation began, outside the burst")
                .satisfiesAnyOf(h -> assertThat(h).isLessThan(BURST_FROM), h -> assertThat(h).isGreaterThanOrEqualTo(BURST_UNTIL));
        JsonNode decided = server.get("/v1/vms/demo-1/schedule").path("decisions");
        assertThat(decided).anySatisfy(d -> {
            assertThat(d.path("action").asText()).isEqualTo("hibernate");
            assertThat(d.path("cause").asText()).isEqualTo("quiet-predicted");
            assertThat(d.path("acted").asBoolean()).isTrue();
        });

        // the next burst after the hibernation completed
        Instant asleep = Instant.parse(hibernation.path("completedAt").asText());
        long burst = asleep.getEpochSecond() + 1;
        while (Math.floorMod(burst, DAY) != BURST_FROM) {
            burst++;
        }
        Instant burstStart = Instant.ofEpochSecond(burst);
        JsonNode wake = awaitEvent("running", asleep, Duration.between(Instant.now(), burstStart).plusSeconds(5));
        assertThat(wake.path("reason").asText()).as("woken by").isEqualTo("schedule");
        Instant ready = Instant.parse(wake.path("completedAt").asText());
        assertThat(ready).as("woken ahead of the burst at " + burstStart + ": " + wake + "; schedule: "
                + server.get("/v1/vms/demo-1/schedule")).isBefore(burstStart);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), burstStart).toMillis()));

        JsonNode vm = server.vm("demo-1");
        assertThat(vm.path("state").asText()).as("state when the burst begins").isEqualTo("running");
        assertThat(DemoServer.count(vm.path("address").asText())).as("the burst's first request").isPositive();
        System.out.printf("ScheduleIT: hibernated at series hour %d, awake %d ms before the burst (restore %d ms)%n",
                hourOfDay(asleepFrom), Duration.between(ready, burstStart).toMillis(), wake.path("durationMs").asLong());
        assertThat(address).isNotBlank();
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
