package io.dormouse.schedule;

import io.dormouse.alloc.Resources;
import io.dormouse.config.ScheduleConfig;
import io.dormouse.forecast.Series;
import io.dormouse.state.StateStore;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's round, run every {@code schedule.interval}: for each running or hibernated VM, read
 * its demand, keep its forecaster fitted and its thresholds tuned, ask the {@link Decider}, and act
 * (mode {@code act}) or only log and record (mode {@code forecast-only}). Wakes ahead compete for room
 * by SLA class, then priority ({@link ProactiveWakes}).
 */
public final class HibernationScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(HibernationScheduler.class);

    private final ScheduleConfig config;
    private final Fleet fleet;
    private final StateStore store;
    private final Schedules schedules;
    private final Actions actions;
    private final Connections connections;
    private final Supplier<Resources> freeRoom;
    private final MeterRegistry registry;
    private final InstantSource clock;
    private final Executor fitting;
    private final Pace pace;
    private final Tuning.Costs costs;
    private final Map<Long, VmTrack> tracks = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new HashMap<>();
    private final Timer roundTimer;

    /**
     * @param freeRoom room free on the hosts, summed, for proactive wakes
     * @param fitting  runs fits and tunings, which take up to seconds each, away from the round, so that
     *                 they never delay a decision
     */
    public HibernationScheduler(ScheduleConfig config, Fleet fleet, StateStore store, Schedules schedules,
                                Actions actions, Connections connections, Supplier<Resources> freeRoom,
                                MeterRegistry registry, InstantSource clock, Executor fitting) {
        this.config = config;
        this.fleet = fleet;
        this.store = store;
        this.schedules = schedules;
        this.actions = actions;
        this.connections = connections;
        this.freeRoom = freeRoom;
        this.registry = registry;
        this.clock = clock;
        this.fitting = fitting;
        this.pace = Pace.of(config.timeScale(), clock.instant());
        this.costs = new Tuning.Costs(config.coldStartPenalty(), config.idleAwakeHourCost(), config.activeAbove());
        this.roundTimer = Timer.builder("dormouse.schedule.rounds").description("scheduler rounds")
                .register(registry);
    }

    /** One look at every VM. Never throws for one VM's failure: that VM is skipped and logged. */
    public void round() {
        long started = System.nanoTime();
        Instant clockNow = clock.instant();
        Instant now = pace.series(clockNow);
        Map<Long, Schedules.Entry> entries = schedules.all();
        Schedules.Entry fallback = new Schedules.Entry(schedules.defaults(), Optional.empty());
        int budget = config.refitsPerRound();
        List<ProactiveWakes.Wanted> wanted = new ArrayList<>();
        Map<String, Pending> pending = new HashMap<>();
        Set<Long> present = new HashSet<>();
        for (Vm vm : fleet.list()) {
            present.add(vm.id());
            boolean awake = vm.state() instanceof VmState.Running;
            VmTrack track = tracks.computeIfAbsent(vm.id(), id -> new VmTrack(
                    new DemandHistory(id, config.metric(), config.step(), config.history(), pace)));
            if (!awake && !(vm.state() instanceof VmState.Hibernated) || !track.wake.isDone()) {
                continue;
            }
            try {
                track.see(awake, pace.series(vm.updatedAt()));
                Schedules.Entry entry = entries.getOrDefault(vm.id(), fallback);
                SchedulePolicy policy = entry.effective();
                Series observed = track.history.observed(store.metricSamples(), clockNow);
                Duration restore = pace.series(vm.wakeEstimate());
                if (budget > 0 && track.fitDue(policy.kind(), clockNow, config.refitInterval(), retry())) {
                    budget--;
                    observed = reread(track, clockNow);
                    track.fit(policy.kind(), observed, clockNow, fitting);
                } else if (budget > 0 && tuneDue(entry, track, clockNow)) {
                    budget--;
                    Series history = reread(track, clockNow);
                    track.nextTune = clockNow.plus(retry());
                    track.tune(() -> {
                        try {
                            tune(vm, entry, track, history, restore, clockNow);
                        } catch (RuntimeException e) {
                            LOG.atWarn().setCause(e).addKeyValue("vm", vm.name()).log("tuning failed");
                        }
                    }, fitting);
                }
                Demand predicted = track.predict(policy.kind(), observed, horizon(policy, restore), config.quantile());
                int crossing = VmTrack.firstAbove(predicted, policy.wakeAbove());
                track.nextWake = crossing < 0 ? null
                        : pace.clock(observed.end().plus(config.step().multipliedBy(crossing)));
                Decision decision = Decider.decide(policy, new Situation(now, awake, track.since,
                        track.transitions.lastHour(now.toEpochMilli()), connections.active(vm.name()),
                        Demand.of(observed.values()), predicted, config.step(), restore));
                count(decision);
                switch (decision) {
                    case Decision.Hibernate h -> hibernate(vm, track, h, now, clockNow);
                    case Decision.WakeAhead w -> {
                        ProactiveWakes.Wanted want = new ProactiveWakes.Wanted(vm.name(), vm.policy().slaClass(),
                                vm.policy().priority(), vm.definition() == null ? Resources.NONE
                                : vm.definition().needs(), w.span());
                        wanted.add(want);
                        pending.put(vm.name(), new Pending(vm, track, w));
                    }
                    case Decision.Stay s -> {
                        track.stored = null;
                        schedules.noteLatest(vm.name(), new Schedules.Latest(s, clockNow, false, null));
                    }
                }
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).addKeyValue("vm", vm.name()).log("scheduling VM failed; it is skipped this round");
            }
        }
        tracks.keySet().retainAll(present);
        wakeAhead(wanted, pending, now, clockNow);
        roundTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private Series reread(VmTrack track, Instant clockNow) {
        track.history.forget();
        return track.history.observed(store.metricSamples(), clockNow);
    }

    /** When the forecast says VM {@code vmId} will next be needed: a hint for the snapshot cache's eviction. */
    public Optional<Instant> nextWake(long vmId) {
        VmTrack track = tracks.get(vmId);
        return track == null ? Optional.empty() : Optional.ofNullable(track.nextWake);
    }

    private record Pending(Vm vm, VmTrack track, Decision.WakeAhead decision) {
    }

    private void hibernate(Vm vm, VmTrack track, Decision.Hibernate decision, Instant now, Instant clockNow) {
        boolean act = config.mode() == ScheduleConfig.Mode.ACT;
        if (act) {
            try {
                actions.hibernate(vm.name());
                track.started(now);
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("vm", vm.name()).log("scheduled hibernation refused: " + e.getMessage());
                return;
            }
        }
        record(vm, track, decision, clockNow, act, null);
    }

    private void wakeAhead(List<ProactiveWakes.Wanted> wanted, Map<String, Pending> pending, Instant now,
                           Instant clockNow) {
        if (wanted.isEmpty()) {
            return;
        }
        boolean act = config.mode() == ScheduleConfig.Mode.ACT;
        long inFlight = tracks.values().stream().filter(t -> !t.wake.isDone()).count();
        ProactiveWakes.Choice choice = ProactiveWakes.choose(wanted, freeRoom.get(),
                (int) Math.max(0, config.maxConcurrentWakes() - inFlight));
        for (ProactiveWakes.Wanted w : choice.now()) {
            Pending p = pending.get(w.vm());
            if (act) {
                try {
                    p.track().wake = actions.wake(w.vm());
                    p.track().started(now);
                } catch (RuntimeException e) {
                    LOG.atWarn().addKeyValue("vm", w.vm()).log("scheduled wake refused: " + e.getMessage());
                    continue;
                }
            }
            record(p.vm(), p.track(), p.decision(), clockNow, act, null);
        }
        for (ProactiveWakes.Deferred d : choice.later()) {
            Pending p = pending.get(d.wake().vm());
            if (act) {
                actions.materializeAhead(d.wake().vm());
            }
            record(p.vm(), p.track(), p.decision(), clockNow, false, d.why());
        }
    }

    /** Notes the decision; stores it unless the same one was stored for the VM last time and nothing was done. */
    private void record(Vm vm, VmTrack track, Decision decision, Instant clockNow, boolean acted, String note) {
        schedules.noteLatest(vm.name(), new Schedules.Latest(decision, clockNow, acted, note));
        String action = decision.action();
        String reason = note == null ? decision.reason() : decision.reason() + "; " + note;
        String key = action + " " + decision.why() + " " + acted + " " + note;
        if (!acted && key.equals(track.stored)) {
            LOG.atDebug().addKeyValue("vm", vm.name()).addKeyValue("action", action).log("still: " + reason);
            return;
        }
        track.stored = key;
        store.scheduleDecisions().append(vm.id(), clockNow, action, decision.why().label(), reason, acted);
        LOG.atInfo()
                .addKeyValue("vm", vm.name())
                .addKeyValue("action", action)
                .addKeyValue("cause", decision.why().label())
                .addKeyValue("mode", config.mode())
                .addKeyValue("acted", acted)
                .log(reason);
    }

    private boolean tuneDue(Schedules.Entry entry, VmTrack track, Instant clockNow) {
        SchedulePolicy policy = entry.policy();
        if (!policy.tune() || policy.kind() == SchedulePolicy.Kind.ALWAYS_ON || track.busy()
                || clockNow.isBefore(track.nextTune)) {
            return false;
        }
        if (VmTrack.forecasting(policy.kind()) && track.model(policy.kind()) == null) {
            return false;
        }
        return entry.tuned().map(t -> !clockNow.isBefore(t.tunedAt().plus(config.retuneInterval()))).orElse(true);
    }

    /**
     * Replays the VM's history under a grid of thresholds, on the fitting executor. The forecasts replayed
     * are the fitted model's from origins in the last two thirds of the history (in-sample: a little
     * optimistic).
     */
    private void tune(Vm vm, Schedules.Entry entry, VmTrack track, Series observed, Duration restore,
                      Instant clockNow) {
        double[] demand = observed.values();
        if (demand.length < 8) {
            return;
        }
        SchedulePolicy policy = entry.policy();
        var model = track.model(policy.kind());
        int first = model == null ? 0 : demand.length / 3;
        double[] replayed = java.util.Arrays.copyOfRange(demand, first, demand.length);
        Tuning.Grid grid = Tuning.Grid.of(replayed, config.step());
        Foresight foresight = (t, steps) -> Demand.NONE;
        if (model != null) {
            Duration longest = grid.durations().getLast();
            int horizon = horizon(policy.withThresholds(policy.hibernateBelow(), longest, policy.wakeAbove()), restore);
            int every = (int) Math.max(1, Duration.ofHours(1).dividedBy(config.step()));
            Foresight fitted = Foresight.forecasts(model, observed, config.quantile(), horizon, every, first);
            foresight = (t, steps) -> fitted.from(t + first, steps);
        }
        Tuning.Tuned tuned = Tuning.tune(policy, replayed, observed.timeAt(first), config.step(), foresight, restore,
                costs, grid);
        schedules.storeTuned(vm.id(), PolicyDocuments.Tuned.of(tuned, costs, clockNow));
        LOG.atInfo()
                .addKeyValue("vm", vm.name())
                .addKeyValue("hibernateBelow", tuned.hibernateBelow())
                .addKeyValue("hibernateAfter", tuned.hibernateAfter())
                .addKeyValue("wakeAbove", tuned.wakeAbove())
                .addKeyValue("expectedCost", tuned.expectedCost())
                .addKeyValue("candidates", tuned.candidates())
                .log("thresholds tuned on the VM's history");
    }

    /** Steps of forecast the decider may look at: the longer of the quiet needed and the way back, and one more. */
    private int horizon(SchedulePolicy policy, Duration restore) {
        long step = config.step().toMillis();
        long lead = restore.toMillis() + policy.wakeMargin().toMillis() + step;
        return Decider.steps(Math.max(policy.hibernateAfter().toMillis(), lead), step) + 1;
    }

    /** A failed fit or tuning is tried again after this: soon, but not every round. */
    private Duration retry() {
        return config.interval().multipliedBy(10);
    }

    private void count(Decision decision) {
        String action = decision.action();
        counters.computeIfAbsent(action + " " + decision.why(), k -> Counter.builder("dormouse.schedule.decisions")
                .description("scheduler decisions, by what was decided and why")
                .tag("mode", config.mode().toString())
                .tag("action", action)
                .tag("cause", decision.why().label())
                .register(registry)).increment();
    }
}
