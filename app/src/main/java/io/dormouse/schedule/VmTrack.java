package io.dormouse.schedule;

import io.dormouse.forecast.Calendar;
import io.dormouse.forecast.ForecastException;
import io.dormouse.forecast.Forecaster;
import io.dormouse.forecast.HybridHistogram;
import io.dormouse.forecast.ModelSelector;
import io.dormouse.forecast.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the scheduler remembers of one VM between rounds: its demand history, its fitted forecaster and
 * when to fit it again, its transitions for the flap guard, and when it reached its present state.
 * Used by the scheduler's round only, except the fit, which runs on the fitting executor and is
 * published through a volatile field.
 */
final class VmTrack {

    final DemandHistory history;
    final TransitionLog transitions = new TransitionLog();
    /** Series time at which the VM reached its present state. */
    Instant since;
    private Boolean awake;
    /** The next change of state is the scheduler's own, counted already. */
    boolean ownChangePending;
    CompletableFuture<?> wake = CompletableFuture.completedFuture(null);
    /** The last fit: set by the fitting thread, read by the round. */
    private volatile Fitted fitted;
    /** The fit or tuning under way for this VM, at most one at a time. */
    private CompletableFuture<?> work = CompletableFuture.completedFuture(null);
    Instant nextTune = Instant.MIN;
    /** The last decision stored, so that one repeated every round is stored once. */
    String stored;
    /** When the forecast says the VM's demand next crosses its wake threshold (clock time), or null. */
    volatile Instant nextWake;

    /** A fitted model of one kind, or why there is none; {@code at} is the clock time of the fit. */
    private record Fitted(SchedulePolicy.Kind kind, Forecaster.Model model, String error, Instant at) {
    }

    VmTrack(DemandHistory history) {
        this.history = history;
    }

    /** Notes the VM's state this round; a change the scheduler did not make counts for the flap guard. */
    void see(boolean awakeNow, Instant changedAt) {
        if (awake == null || awake != awakeNow) {
            if (awake != null && !ownChangePending) {
                transitions.record(Math.max(changedAt.toEpochMilli(), transitions.latest()));
            }
            ownChangePending = false;
            awake = awakeNow;
            since = changedAt;
        }
    }

    /** Notes a transition the scheduler starts at {@code now} (series time). */
    void started(Instant now) {
        transitions.record(Math.max(now.toEpochMilli(), transitions.latest()));
        ownChangePending = true;
    }

    /** Whether a fit or tuning of this VM is under way. */
    boolean busy() {
        return !work.isDone();
    }

    /** Due when there is no fit for {@code kind}, or the last is {@code refit} old ({@code retry} after a failure). */
    boolean fitDue(SchedulePolicy.Kind kind, Instant clockNow, Duration refit, Duration retry) {
        Fitted f = fitted;
        return forecasting(kind) && !busy() && (f == null || f.kind() != kind
                || !clockNow.isBefore(f.at().plus(f.model() == null ? retry : refit)));
    }

    /**
     * Fits the forecaster of {@code kind} on {@code observed} on {@code executor}; until it is done the VM
     * keeps its former model. On failure the VM has no forecast until a retry.
     */
    void fit(SchedulePolicy.Kind kind, Series observed, Instant clockNow, Executor executor) {
        work = CompletableFuture.runAsync(() -> fitted = fitNow(kind, observed, clockNow), executor);
    }

    /** Runs {@code tuning} on {@code executor}, after any work under way for this VM. */
    void tune(Runnable tuning, Executor executor) {
        work = CompletableFuture.runAsync(tuning, executor);
    }

    private static Fitted fitNow(SchedulePolicy.Kind kind, Series observed, Instant clockNow) {
        if (observed.size() == 0) {
            return new Fitted(kind, null, "no demand samples in the history window", clockNow);
        }
        Forecaster forecaster = kind == SchedulePolicy.Kind.HYBRID_HISTOGRAM ? HybridHistogram.create()
                : ModelSelector.create();
        try {
            return new Fitted(kind, forecaster.fit(observed, Calendar.EMPTY), null, clockNow);
        } catch (ForecastException | IllegalArgumentException e) {
            return new Fitted(kind, null, e.getMessage(), clockNow);
        }
    }

    Forecaster.Model model(SchedulePolicy.Kind kind) {
        Fitted f = fitted;
        return forecasting(kind) && f != null && f.kind() == kind ? f.model() : null;
    }

    /** Why the VM has no model, or null. */
    String fitError() {
        Fitted f = fitted;
        return f == null ? null : f.error();
    }

    /** The forecast at {@code level} for {@code steps} steps after {@code observed}, empty without a model. */
    Demand predict(SchedulePolicy.Kind kind, Series observed, int steps, double level) {
        Forecaster.Model m = model(kind);
        if (m == null || observed.size() == 0) {
            return Demand.NONE;
        }
        try {
            return Demand.of(m.predict(observed, steps).quantile(level));
        } catch (ForecastException | IllegalArgumentException e) {
            return Demand.NONE;
        }
    }

    /** The first step of {@code predicted} above {@code threshold}, or -1. */
    static int firstAbove(Demand predicted, double threshold) {
        for (int i = 0; i < predicted.length(); i++) {
            if (predicted.at(i) > threshold) {
                return i;
            }
        }
        return -1;
    }

    static boolean forecasting(SchedulePolicy.Kind kind) {
        return kind == SchedulePolicy.Kind.PREDICTIVE || kind == SchedulePolicy.Kind.HYBRID_HISTOGRAM;
    }

    @Override
    public String toString() {
        Fitted f = fitted;
        return "VmTrack[awake=" + awake + ", since=" + since + ", transitions=" + transitions + ", fitted="
                + (f == null ? null : f.kind() + " at " + f.at() + (f.error() == null ? "" : ": " + f.error())) + "]";
    }
}
