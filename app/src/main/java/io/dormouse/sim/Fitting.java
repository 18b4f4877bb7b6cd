package io.dormouse.sim;

import io.dormouse.forecast.Calendar;
import io.dormouse.forecast.Forecast;
import io.dormouse.forecast.ForecastException;
import io.dormouse.forecast.Forecaster;
import io.dormouse.forecast.HybridHistogram;
import io.dormouse.forecast.IdleWindows;
import io.dormouse.forecast.SeasonalNaive;
import io.dormouse.forecast.Series;
import io.dormouse.schedule.AlwaysOnWindows;
import io.dormouse.schedule.Foresight;
import io.dormouse.schedule.Replay;
import io.dormouse.schedule.SchedulePolicy;
import io.dormouse.schedule.Tuning;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * What the learning policies know of a VM from its history: the tuned timeouts (history replays
 * through the scheduler), and from {@code io.dormouse.forecast}, refitted at every scored midnight, the
 * hybrid histogram's windows and the predictive policy's forecasts and chances. The fleet run forecasts with the seasonal naive (larger of the previous day and week)
 * rather than the model selector: fitting every candidate costs up to 600 ms a VM, 100 minutes of
 * CPU for 10,000 VMs; the naive fits in about a millisecond.
 */
final class Fitting {

    /** How many steps from each boundary the predictive policy's signal reaches ahead. */
    static final int AHEAD = 6;
    /** A forecast of demand this many steps (10 minutes) away from a step counts for it. */
    static final int LOOKAHEAD = 2;
    /** The upper forecast quantile: demand is possible when it reaches one request. */
    static final double LEVEL = 0.9;
    /** A step with at least one request is active: the hybrid histogram's activity threshold. */
    static final double ACTIVE = 0.5;

    private static final Instant EPOCH = Instant.EPOCH;
    private static final Forecaster MODEL = SeasonalNaive.maxOfDayAndWeek();
    private static final Forecaster SHORT_HISTORY_MODEL = SeasonalNaive.previousDay();
    private static final HybridHistogram HYBRID = HybridHistogram.withThreshold(ACTIVE);
    private static final SchedulePolicy FIXED_IDLE = new SchedulePolicy(SchedulePolicy.Kind.FIXED_IDLE, ACTIVE,
            Trace.STEP, ACTIVE, Duration.ZERO, Duration.ZERO, 3600, AlwaysOnWindows.NONE, false);
    private static final List<Duration> TIMEOUTS =
            LongStream.of(Family.TIMEOUT_MINUTES).mapToObj(Duration::ofMinutes).toList();

    private Fitting() {
    }

    /**
     * Chooses the VM's idle timeout for each cost of {@link Family#TUNED_COSTS} as the scheduler's
     * {@link Tuning} does: replay the history ({@link Replay}) under a fixed-idle policy for every duration
     * of the idle-timeout family and keep the cheapest (ties: the shorter). Each duration is replayed once
     * for all costs, which {@code Tuning.tune} (one cost a call) would repeat seven times. The policy has
     * neither minimum awake time nor flap guard, so a duration means on the history what the idle timeout
     * does on the scored part.
     */
    static void tuned(VmRun run) {
        double[] history = Arrays.copyOf(run.demand, run.from);
        Foresight none = Foresight.perfect(history);
        Replay.Outcome[] outcomes = new Replay.Outcome[TIMEOUTS.size()];
        for (int d = 0; d < outcomes.length; d++) {
            SchedulePolicy candidate = FIXED_IDLE.withThresholds(ACTIVE, TIMEOUTS.get(d), ACTIVE);
            outcomes[d] = Replay.run(candidate, history, EPOCH, Trace.STEP, none, Duration.ZERO, ACTIVE, 1);
        }
        for (int i = 0; i < Family.TUNED_COSTS.length; i++) {
            int best = 0;
            for (int d = 1; d < outcomes.length; d++) {
                if (outcomes[d].cost(1, Family.TUNED_COSTS[i]) < outcomes[best].cost(1, Family.TUNED_COSTS[i])) {
                    best = d;
                }
            }
            run.tunedTimeout[i] = (int) (TIMEOUTS.get(best).toNanos() / Trace.STEP.toNanos());
        }
    }

    /**
     * Fills the expected-cost rule's quiet limits for every scored day and cost from the VM's complete quiet
     * gaps before that day's midnight (the history, then each scored day as it is passed).
     */
    static void expectedCost(VmRun run, QuietHazard hazard) {
        hazard.clear();
        int perDay = Family.EXPECTED_COSTS.length * QuietHazard.CONTEXTS;
        int[] limits = new int[perDay];
        int last = Integer.MIN_VALUE / 2;
        int busyRun = 0;
        for (int t = 0; t < run.steps; t++) {
            if (t >= run.from && (t - run.from) % Trace.STEPS_PER_DAY == 0) {
                hazard.limits(Family.EXPECTED_COSTS, limits);
                System.arraycopy(limits, 0, run.quietLimit, run.day(t) * perDay, perDay);
            }
            if (run.requests[t] > 0) {
                int quiet = t - 1 - last;
                if (last >= 0 && quiet > 0) {
                    hazard.observe(QuietHazard.context(last, busyRun), quiet);
                }
                busyRun = quiet == 0 ? busyRun + 1 : 1;
                last = t;
            }
        }
    }

    /** Fits the hybrid histogram's windows for every scored day. */
    static void hybrid(VmRun run) {
        for (int day = 0; day < run.prewarmMinutes.length; day++) {
            Series history = history(run, run.from + day * Trace.STEPS_PER_DAY);
            IdleWindows w = HYBRID.windows(history);
            run.prewarmMinutes[day] = w.prewarm().toSeconds() / 60.0;
            run.keepAliveMinutes[day] = w.keepAlive().toSeconds() / 60.0;
        }
    }

    /**
     * Fills the predictive signal: at every scored step boundary, the chance of a request in each of the
     * {@link #AHEAD} steps from it, from {@link ActivityOdds} counted over the history up to the previous
     * midnight, given the quiet time before the boundary (continued ahead) and the forecast.
     * Forecasts reach a day ahead from each midnight (for the seasonal naive that is what hourly origins
     * would give too); the history's own days are forecast by the model fitted on the whole history.
     */
    static void predictive(VmRun run, ActivityOdds odds) {
        int day = Trace.STEPS_PER_DAY;
        Forecaster.Model model = fit(history(run, run.from));
        for (int origin = run.from % day == 0 ? day : run.from % day; origin < run.steps; origin += day) {
            if (origin > run.from && (origin - run.from) % day == 0) {
                model = fit(history(run, origin));
            }
            Forecast f = model.predict(history(run, origin), Math.min(day, run.steps - origin));
            double[] median = f.quantile(0.5);
            double[] upper = f.quantile(LEVEL);
            for (int t = 0; t < median.length; t++) {
                run.forecastClass[origin + t] = (byte) (median[t] >= ACTIVE ? 2 : upper[t] >= ACTIVE ? 1 : 0);
            }
        }
        hourClasses(run);
        int first = day;
        odds.clear();
        int last = run.lastActiveBefore(first);
        for (int t = first; t < run.steps; t++) {
            if (t >= run.from && (t - run.from) % day == 0) {
                // the counts so far are the history up to this midnight: predict the day with them
                for (int s = t, l = last; s < Math.min(run.steps, t + day); s++) {
                    for (int j = 0; j < AHEAD; j++) {
                        int at = Math.min(s + j, run.steps - 1);
                        run.ahead[s * AHEAD + j] = odds.chance(s - 1 - l + j, near(run, at), run.hourClass[at]);
                    }
                    if (run.requests[s] > 0) {
                        l = s;
                    }
                }
            }
            odds.observe(t - 1 - last, near(run, t), run.hourClass[t], run.requests[t] > 0);
            if (run.requests[t] > 0) {
                last = t;
            }
        }
    }

    /**
     * For each step, how busy its hour of day was on the days before its own (from midnight to
     * midnight): the share of active steps, in {@link ActivityOdds#HOUR_CLASSES} classes.
     */
    private static void hourClasses(VmRun run) {
        int day = Trace.STEPS_PER_DAY;
        int hour = day / 24;
        int[] activeByHour = new int[24];
        for (int d = 0; d * day < run.steps; d++) {
            for (int t = d * day; t < Math.min(run.steps, (d + 1) * day); t++) {
                double share = d == 0 ? 0 : activeByHour[(t % day) / hour] / (double) (d * hour);
                run.hourClass[t] = (byte) (share < 0.1 ? 0 : share < 0.4 ? 1 : 2);
            }
            for (int t = d * day; t < Math.min(run.steps, (d + 1) * day); t++) {
                activeByHour[(t % day) / hour] += run.requests[t] > 0 ? 1 : 0;
            }
        }
    }

    /** The highest forecast class within {@link #LOOKAHEAD} steps either side of {@code t}: demand seldom recurs to the minute. */
    private static int near(VmRun run, int t) {
        int c = 0;
        for (int i = Math.max(Trace.STEPS_PER_DAY, t - LOOKAHEAD); i <= Math.min(run.steps - 1, t + LOOKAHEAD); i++) {
            c = Math.max(c, run.forecastClass[i]);
        }
        return c;
    }

    private static Forecaster.Model fit(Series history) {
        try {
            return MODEL.fit(history, Calendar.EMPTY);
        } catch (ForecastException e) {
            // a history of exactly one week has no step with a value a week before: use the day
            return SHORT_HISTORY_MODEL.fit(history, Calendar.EMPTY);
        }
    }

    private static Series history(VmRun run, int end) {
        return new Series(EPOCH, Trace.STEP, Arrays.copyOf(run.demand, end));
    }
}
