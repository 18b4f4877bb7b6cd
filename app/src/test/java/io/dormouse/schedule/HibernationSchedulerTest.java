package io.dormouse.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.alloc.Resources;
import io.dormouse.config.ScheduleConfig;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.MetricSample;
import io.dormouse.state.NewVm;
import io.dormouse.state.ScheduleDecision;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import io.dormouse.vm.Fleet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's round on a real SQLite state store, a fleet read from it, a fake clock and fake actions. */
class HibernationSchedulerTest {

    /** A Monday, 10:00 UTC. */
    private static final Instant T0 = Instant.parse("2026-11-16T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private StateStore store;
    private Fleet fleet;
    private Schedules schedules;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> hibernated = new CopyOnWriteArrayList<>();
    private final List<String> woken = new CopyOnWriteArrayList<>();
    private final List<String> materialized = new CopyOnWriteArrayList<>();
    private final Actions actions = new Actions() {
        @Override
        public void hibernate(String vm) {
            hibernated.add(vm);
        }

        @Override
        public CompletableFuture<?> wake(String vm) {
            woken.add(vm);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void materializeAhead(String vm) {
            materialized.add(vm);
        }
    };
    private Connections connections = Connections.NONE;
    private Resources free = new Resources(64, 65536, 0);

    @BeforeEach
    void open() {
        store = StateStore.open(DatabaseSettings.sqlite(dir.resolve("state.db")), now::get);
        schedules = new Schedules(store, SchedulePolicy.DEFAULT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ScheduleConfig config(ScheduleConfig.Mode mode, Duration step, Duration history, int wakes) {
        return new ScheduleConfig(mode, Duration.ofSeconds(30), "demand", step, history, Duration.ofHours(6), 4,
                Duration.ofDays(1), 0.9, 1.0, 1.0, 0.0, wakes, 1.0);
    }

    private HibernationScheduler scheduler(ScheduleConfig config) {
        fleet = Fleet.load(store, Duration.ofSeconds(2), now::get);
        return new HibernationScheduler(config, fleet, store, schedules, actions, vm -> connections.active(vm),
                () -> free, registry, now::get, Runnable::run);
    }

    private VmRecord vm(String name, String state, int priority, String sla, int memoryMib) throws Exception {
        var spec = JSON.createObjectNode().put("vcpus", 1).put("memoryMib", memoryMib).put("kernel", "/boot/vmlinuz")
                .put("priority", priority).put("slaClass", sla);
        spec.putArray("ports").add(80);
        return store.vms().insert(new NewVm(name, state, spec.toString(), null, null, priority, sla));
    }

    /** Demand samples of {@code vm} every {@code step} over {@code span} before now, valued by minutes before now. */
    private void demand(VmRecord vm, Duration span, Duration step, DoubleUnaryOperator byMinutesAgo) {
        List<MetricSample> samples = new ArrayList<>();
        for (Instant t = now.get().minus(span); t.isBefore(now.get()); t = t.plus(step)) {
            double minutesAgo = Duration.between(t, now.get()).toMinutes();
            samples.add(new MetricSample(vm.id(), "demand", t, byMinutesAgo.applyAsDouble(minutesAgo)));
        }
        store.metricSamples().append(samples);
    }

    private void policy(VmRecord vm, String json) throws Exception {
        schedules.update(vm.id(), JSON.readTree(json));
    }

    private List<ScheduleDecision> stored(VmRecord vm) {
        return store.scheduleDecisions().latest(vm.id(), 100);
    }

    private static final String IDLE_10M = "{\"kind\":\"fixed-idle\",\"hibernateAfter\":\"10m\",\"minimumAwake\":\"0s\"}";

    @Test
    void forecastOnlyModeRecordsWhatItWouldDoAndActsOnNothing() throws Exception {
        VmRecord web = vm("web", "running", 0, "standard", 128);
        policy(web, IDLE_10M);
        now.set(T0.plus(Duration.ofMinutes(30)));
        demand(web, Duration.ofMinutes(30), Duration.ofMinutes(1), ago -> 0.0);
        HibernationScheduler scheduler = scheduler(config(ScheduleConfig.Mode.FORECAST_ONLY, Duration.ofMinutes(1),
                Duration.ofHours(1), 4));

        scheduler.round();
        now.set(now.get().plusSeconds(30));
        scheduler.round();

        assertThat(hibernated).isEmpty();
        assertThat(woken).isEmpty();
        assertThat(stored(web)).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("hibernate");
            assertThat(d.cause()).isEqualTo("quiet-observed");
            assertThat(d.acted()).isFalse();
            assertThat(d.reason()).isEqualTo("observed demand stayed below 0.500 for 10m (peak 0.00)");
        });
        assertThat(schedules.latest("web")).get().extracting(Schedules.Latest::acted).isEqualTo(false);
        assertThat(registry.get("dormouse.schedule.decisions").tag("mode", "forecast-only").tag("action", "hibernate")
                .counter().count()).isEqualTo(2);
    }

    @Test
    void actModeHibernatesTheIdleVmWithItsReasonRecorded() throws Exception {
        VmRecord web = vm("web", "running", 0, "standard", 128);
        VmRecord busy = vm("busy", "running", 0, "standard", 128);
        policy(web, IDLE_10M);
        policy(busy, IDLE_10M);
        now.set(T0.plus(Duration.ofMinutes(30)));
        demand(web, Duration.ofMinutes(30), Duration.ofMinutes(1), ago -> ago < 12 ? 0.0 : 5.0);
        demand(busy, Duration.ofMinutes(30), Duration.ofMinutes(1), ago -> ago < 9 ? 0.0 : 5.0);

        scheduler(config(ScheduleConfig.Mode.ACT, Duration.ofMinutes(1), Duration.ofHours(1), 4)).round();

        assertThat(hibernated).containsExactly("web");
        assertThat(stored(web)).singleElement().extracting(ScheduleDecision::acted).isEqualTo(true);
        assertThat(schedules.latest("busy")).get().extracting(l -> l.decision().why())
                .isEqualTo(Decision.Why.BUSY_OBSERVED);
    }

    @Test
    void activeConnectionsKeepAnIdleVmAwake() throws Exception {
        VmRecord web = vm("web", "running", 0, "standard", 128);
        policy(web, IDLE_10M);
        now.set(T0.plus(Duration.ofMinutes(30)));
        demand(web, Duration.ofMinutes(30), Duration.ofMinutes(1), ago -> 0.0);
        connections = vm -> vm.equals("web") ? 1 : 0;

        scheduler(config(ScheduleConfig.Mode.ACT, Duration.ofMinutes(1), Duration.ofHours(1), 4)).round();

        assertThat(hibernated).isEmpty();
        assertThat(schedules.latest("web")).get().extracting(l -> l.decision().reason())
                .isEqualTo("1 active connections");
    }

    @Test
    void transitionsMadeByOthersCountForTheFlapGuardOverASlidingHour() throws Exception {
        VmRecord web = vm("web", "running", 0, "standard", 128);
        policy(web, "{\"kind\":\"fixed-idle\",\"hibernateAfter\":\"10m\",\"minimumAwake\":\"0s\","
                + "\"maxTransitionsPerHour\":2}");
        HibernationScheduler scheduler = scheduler(config(ScheduleConfig.Mode.ACT, Duration.ofMinutes(1),
                Duration.ofHours(3), 4));
        // busy, then woken twice by DNS after operators hibernated it: two transitions seen by the scheduler
        demand(web, Duration.ofMinutes(5), Duration.ofMinutes(1), ago -> 5.0);
        scheduler.round();
        for (String state : List.of("hibernated", "running")) {
            now.set(now.get().plus(Duration.ofMinutes(1)));
            store.vms().updateState(store.vms().find("web").orElseThrow(), state);
            fleet.sync();
            scheduler.round();
        }
        now.set(now.get().plus(Duration.ofMinutes(30)));
        demand(web, Duration.ofMinutes(30), Duration.ofMinutes(1), ago -> 0.0);
        scheduler.round();
        assertThat(hibernated).isEmpty();
        assertThat(schedules.latest("web")).get().extracting(l -> l.decision().reason())
                .isEqualTo("flap guard: 2 transitions in the last hour, the limit is 2");

        // an hour after the first of them, one is left in the window
        now.set(T0.plus(Duration.ofMinutes(61)));
        demand(web, Duration.ofMinutes(29), Duration.ofMinutes(1), ago -> 0.0);
        scheduler.round();
        assertThat(hibernated).containsExactly("web");
    }

    @Test
    void proactiveWakesShortOfRoomGoBySlaClassThenPriority() throws Exception {
        VmRecord bronze = vm("bronze-high", "hibernated", 900, "bronze", 512);
        VmRecord goldLow = vm("gold-low", "hibernated", 1, "gold", 512);
        VmRecord standardHigh = vm("standard-high", "hibernated", 500, "standard", 512);
        VmRecord standardLow = vm("standard-low", "hibernated", 100, "standard", 512);
        for (VmRecord v : List.of(bronze, goldLow, standardHigh, standardLow)) {
            policy(v, "{\"kind\":\"always-on\"}");
        }
        free = new Resources(16, 1024, 0);

        scheduler(config(ScheduleConfig.Mode.ACT, Duration.ofMinutes(1), Duration.ofHours(1), 4)).round();

        assertThat(woken).containsExactly("gold-low", "standard-high");
        assertThat(materialized).as("the deferred wakes' versions").containsExactlyInAnyOrder("bronze-high",
                "standard-low");
        assertThat(stored(bronze)).singleElement().satisfies(d -> {
            assertThat(d.acted()).isFalse();
            assertThat(d.reason()).contains("deferred: needs 1 vCPU and 512 MiB, free 14 vCPU and 0 MiB");
        });
        assertThat(stored(standardLow)).singleElement().extracting(ScheduleDecision::acted).isEqualTo(false);
    }

    @Test
    void proactiveWakesStopAtTheWakesAllowedAtOnce() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            policy(vm(name, "hibernated", 0, "standard", 128), "{\"kind\":\"always-on\"}");
        }
        scheduler(config(ScheduleConfig.Mode.ACT, Duration.ofMinutes(1), Duration.ofHours(1), 2)).round();
        assertThat(woken).containsExactly("a", "b");
        assertThat(materialized).containsExactly("c");
        assertThat(schedules.latest("c")).get().extracting(Schedules.Latest::note)
                .isEqualTo("deferred: 2 proactive wakes allowed at once are taken");
    }

    /**
     * Two weeks of hourly demand, busy from 09:00 to 12:00 every day: a predictive VM is woken ahead of the
     * next 09:00 and not long before, and a running one is hibernated after the burst, with a fitted model.
     */
    @Test
    void predictiveVmIsWokenAheadOfItsDailyBurstAndHibernatedAfterIt() throws Exception {
        now.set(Instant.parse("2026-11-30T00:00:00Z"));
        VmRecord sleeper = vm("sleeper", "hibernated", 0, "standard", 128);
        DoubleUnaryOperator daily = ago -> {
            long hourOfDay = Math.floorMod(24 - (long) Math.ceil(ago / 60.0), 24);
            return hourOfDay >= 9 && hourOfDay < 12 ? 20.0 : 0.0;
        };
        demand(sleeper, Duration.ofDays(14), Duration.ofHours(1), daily);
        policy(sleeper, "{\"kind\":\"predictive\",\"hibernateBelow\":2,\"wakeAbove\":5,\"hibernateAfter\":\"2h\","
                + "\"wakeMargin\":\"10m\",\"minimumAwake\":\"1h\"}");
        HibernationScheduler scheduler = scheduler(config(ScheduleConfig.Mode.ACT, Duration.ofHours(1),
                Duration.ofDays(14), 4));

        List<Instant> wokenAt = new ArrayList<>();
        for (int hour = 1; hour <= 9 && wokenAt.isEmpty(); hour++) {
            now.set(Instant.parse("2026-11-30T00:00:00Z").plus(Duration.ofHours(hour)).plusSeconds(60));
            // the sampler keeps writing: the hour that just ended was quiet
            store.metricSamples().append(List.of(new MetricSample(sleeper.id(), "demand",
                    now.get().minus(Duration.ofMinutes(61)), 0.0)));
            scheduler.round();
            if (!woken.isEmpty()) {
                wokenAt.add(now.get());
            }
        }
        // the restore (2 s) and the margin fit in the hour before 09:00; the next look would be too late
        assertThat(wokenAt).containsExactly(Instant.parse("2026-11-30T08:01:00Z"));
        assertThat(schedules.latest("sleeper")).get().satisfies(l -> {
            assertThat(l.decision().why()).isEqualTo(Decision.Why.DEMAND_AHEAD);
            assertThat(l.acted()).isTrue();
        });
        assertThat(scheduler.nextWake(sleeper.id())).contains(Instant.parse("2026-11-30T09:00:00Z"));

        // it runs through the burst and is hibernated once the forecast is quiet for 2 h and more
        store.vms().updateState(store.vms().find("sleeper").orElseThrow(), "running");
        fleet.sync();
        List<Instant> hibernatedAt = new ArrayList<>();
        for (int hour = 9; hour <= 16 && hibernatedAt.isEmpty(); hour++) {
            now.set(Instant.parse("2026-11-30T00:00:00Z").plus(Duration.ofHours(hour)).plusSeconds(60));
            double last = hour - 1 >= 9 && hour - 1 < 12 ? 20.0 : 0.0;
            store.metricSamples().append(List.of(new MetricSample(sleeper.id(), "demand",
                    now.get().minus(Duration.ofMinutes(61)), last)));
            scheduler.round();
            if (!hibernated.isEmpty()) {
                hibernatedAt.add(now.get());
            }
        }
        assertThat(hibernatedAt).containsExactly(Instant.parse("2026-11-30T13:01:00Z"));
        assertThat(schedules.latest("sleeper")).get().extracting(l -> l.decision().why())
                .isEqualTo(Decision.Why.QUIET_PREDICTED);
    }
}
