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

/**
 * What the scheduler remembers of one VM between rounds: its demand history, its fitted forecaster and
 * when to fit it again, its transitions for the flap guard, and when it reached its present state.
 * Used by the scheduler's one thread only.
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
    private Forecaster.Model model;
    private SchedulePolicy.Kind fittedFor;
    private Instant nextFit = Instant.MIN;
    Instant nextTune = Instant.MIN;
    String lastFitError;
    /** The last decision stored, so that one repeated every round is stored once. */
    String stored;
    /** When the forecast says the VM's demand next crosses its wake threshold (clock time), or null. */
    volatile Instant nextWake;

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

    boolean fitDue(SchedulePolicy.Kind kind, Instant clockNow) {
        return forecasting(kind) && (fittedFor != kind || !clockNow.isBefore(nextFit));
    }

    /** Fits the forecaster of {@code kind} on {@code observed}; on failure the VM has no forecast until a retry. */
    void fit(SchedulePolicy.Kind kind, Series observed, Instant clockNow, Duration refit, Duration retry) {
        fittedFor = kind;
        if (observed.size() == 0) {
            model = null;
            lastFitError = "no demand samples in the history window";
            nextFit = clockNow.plus(retry);
            return;
        }
        Forecaster forecaster = kind == SchedulePolicy.Kind.HYBRID_HISTOGRAM ? HybridHistogram.create()
                : ModelSelector.create();
        try {
            model = forecaster.fit(observed, Calendar.EMPTY);
            lastFitError = null;
            nextFit = clockNow.plus(refit);
        } catch (ForecastException | IllegalArgumentException e) {
            model = null;
            lastFitError = e.getMessage();
            nextFit = clockNow.plus(retry);
        }
    }

    Forecaster.Model model(SchedulePolicy.Kind kind) {
        return forecasting(kind) && fittedFor == kind ? model : null;
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
            lastFitError = e.getMessage();
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
        return "VmTrack[awake=" + awake + ", since=" + since + ", transitions=" + transitions + ", fitted="
                + fittedFor + ", nextFit=" + nextFit + ", error=" + lastFitError + "]";
    }
}
