package io.dormouse.schedule;

import io.dormouse.schedule.Decision.Hibernate;
import io.dormouse.schedule.Decision.Stay;
import io.dormouse.schedule.Decision.WakeAhead;
import io.dormouse.schedule.Decision.Why;
import java.time.Duration;

/**
 * The scheduler's decision for one VM at one instant: pure, no clock, no I/O, a few comparisons and
 * one pass over at most the steps the policy needs, so the simulator can call it for every VM at every
 * step.
 *
 * <p>{@code Decider.decide(policy, situation)} returns a {@link Decision}:
 * <ul>
 * <li>a running VM is hibernated when, in this order, its policy kind is not always-on, it is outside
 *     every always-on window, it has no active connection, it has been up for at least
 *     {@code minimumAwake}, the flap guard allows, and demand stays below {@code hibernateBelow}:
 *     observed over the last {@code hibernateAfter} (fixed-idle), quiet for as long as the VM's past quiet
 *     gaps like the present one make worth staying awake with a cold start worth {@code hibernateAfter} of
 *     idle awake time (expected-cost, {@link QuietGaps}), or observed now and predicted over
 *     the next {@code max(hibernateAfter, lead + step)} with no always-on window in it
 *     (hybrid-histogram, predictive);
 * <li>a hibernated VM is woken ahead when its kind is always-on, an always-on window begins within
 *     {@code lead + step}, or (forecasting kinds, flap guard allowing) demand is above {@code wakeAbove} now
 *     or predicted above it in a step starting within {@code lead + step};
 * <li>otherwise it stays, with the first reason that held it.
 * </ul>
 * Here {@code lead = restoreTime + wakeMargin}; the horizon reaches one step further because the next
 * decision comes a step later (the scheduler looks once per step or more often). A missing value (NaN)
 * is never quiet and never a crossing.
 */
public final class Decider {

    private Decider() {
    }

    public static Decision decide(SchedulePolicy policy, Situation situation) {
        return situation.awake() ? whileAwake(policy, situation) : whileAsleep(policy, situation);
    }

    private static Decision whileAwake(SchedulePolicy p, Situation s) {
        if (p.kind() == SchedulePolicy.Kind.ALWAYS_ON) {
            return stay(Why.ALWAYS_ON_POLICY);
        }
        long now = s.now().toEpochMilli();
        if (p.alwaysOn().contains(now)) {
            return stay(Why.IN_ALWAYS_ON_WINDOW);
        }
        if (s.activeConnections() > 0) {
            return new Stay(Why.ACTIVE_CONNECTIONS, s.activeConnections(), 0, null);
        }
        long awakeMillis = now - s.since().toEpochMilli();
        if (awakeMillis < p.minimumAwake().toMillis()) {
            return new Stay(Why.MINIMUM_AWAKE, awakeMillis / 1000.0, p.minimumAwake().toMillis() / 1000.0, null);
        }
        if (s.transitionsLastHour() >= p.maxTransitionsPerHour()) {
            return flapGuard(p, s);
        }
        long step = s.step().toMillis();
        return switch (p.kind()) {
            case FIXED_IDLE -> quietObserved(p, s, step);
            case EXPECTED_COST -> quietPastLimit(p, s, step, now);
            default -> quietPredicted(p, s, step, now);
        };
    }

    /** Expected-cost kind: hibernate once the quiet time reaches the limit the VM's past gaps like this one give. */
    private static Decision quietPastLimit(SchedulePolicy p, Situation s, long step, long now) {
        int quiet = QuietGaps.trailingQuiet(s.observed(), p.hibernateBelow());
        if (quiet == 0) {
            return new Stay(Why.BUSY_NOW, s.observed().latest(), p.hibernateBelow(), null);
        }
        int limit = QuietGaps.limit(s.observed(), p.hibernateBelow(), step, now, p.hibernateAfter().toMillis());
        return quiet < limit
                ? new Stay(Why.QUIET_UNDER_LIMIT, quiet, limit, null)
                : new Hibernate(Why.QUIET_PAST_LIMIT, quiet, limit, Duration.ofMillis(quiet * step));
    }

    private static Decision quietObserved(SchedulePolicy p, Situation s, long step) {
        int needed = steps(p.hibernateAfter().toMillis(), step);
        Demand observed = s.observed();
        if (observed.length() < needed) {
            return new Stay(Why.SHORT_HISTORY, observed.length(), needed, null);
        }
        double peak = 0;
        for (int i = 0; i < needed; i++) {
            double v = observed.at(observed.length() - 1 - i);
            if (!(v < p.hibernateBelow())) {
                return new Stay(Why.BUSY_OBSERVED, v, p.hibernateBelow(), Duration.ofMillis(i * step));
            }
            peak = Math.max(peak, v);
        }
        return new Hibernate(Why.QUIET_OBSERVED, peak, p.hibernateBelow(), p.hibernateAfter());
    }

    private static Decision quietPredicted(SchedulePolicy p, Situation s, long step, long now) {
        double current = s.observed().latest();
        if (!(current < p.hibernateBelow())) {
            return new Stay(Why.BUSY_NOW, current, p.hibernateBelow(), null);
        }
        long span = Math.max(p.hibernateAfter().toMillis(), lead(p, s) + step);
        if (p.alwaysOn().overlaps(now, now + span)) {
            return new Stay(Why.ALWAYS_ON_WINDOW_AHEAD, Double.NaN, Double.NaN, Duration.ofMillis(span));
        }
        int needed = steps(span, step);
        Demand predicted = s.predicted();
        if (predicted.length() < needed) {
            return new Stay(Why.SHORT_FORECAST, predicted.length(), needed, null);
        }
        double peak = 0;
        for (int i = 0; i < needed; i++) {
            double v = predicted.at(i);
            if (!(v < p.hibernateBelow())) {
                return new Stay(Why.BUSY_PREDICTED, v, p.hibernateBelow(), Duration.ofMillis(i * step));
            }
            peak = Math.max(peak, v);
        }
        return new Hibernate(Why.QUIET_PREDICTED, peak, p.hibernateBelow(), Duration.ofMillis(span));
    }

    private static Decision whileAsleep(SchedulePolicy p, Situation s) {
        if (p.kind() == SchedulePolicy.Kind.ALWAYS_ON) {
            return new WakeAhead(Why.ALWAYS_ON_POLICY, Double.NaN, Double.NaN, null);
        }
        long now = s.now().toEpochMilli();
        long step = s.step().toMillis();
        long lead = lead(p, s) + step;
        if (p.alwaysOn().overlaps(now, now + lead)) {
            return new WakeAhead(Why.ALWAYS_ON_WINDOW_AHEAD, Double.NaN, Double.NaN, Duration.ofMillis(lead));
        }
        if (p.kind() == SchedulePolicy.Kind.FIXED_IDLE || p.kind() == SchedulePolicy.Kind.EXPECTED_COST) {
            return stay(Why.REACTIVE_ONLY);
        }
        if (s.transitionsLastHour() >= p.maxTransitionsPerHour()) {
            return flapGuard(p, s);
        }
        double current = s.observed().latest();
        if (current > p.wakeAbove()) {
            return new WakeAhead(Why.DEMAND_NOW, current, p.wakeAbove(), null);
        }
        Demand predicted = s.predicted();
        int horizon = Math.min(steps(lead, step), predicted.length());
        double peak = 0;
        for (int i = 0; i < horizon; i++) {
            double v = predicted.at(i);
            if (v > p.wakeAbove()) {
                return new WakeAhead(Why.DEMAND_AHEAD, v, p.wakeAbove(), Duration.ofMillis(i * step));
            }
            if (v > peak) {
                peak = v;
            }
        }
        return new Stay(Why.QUIET_AHEAD, peak, p.wakeAbove(), Duration.ofMillis(lead));
    }

    private static long lead(SchedulePolicy p, Situation s) {
        return s.restoreTime().toMillis() + p.wakeMargin().toMillis();
    }

    private static Stay flapGuard(SchedulePolicy p, Situation s) {
        return new Stay(Why.FLAP_GUARD, s.transitionsLastHour(), p.maxTransitionsPerHour(), null);
    }

    private static Stay stay(Why why) {
        return new Stay(why, Double.NaN, Double.NaN, null);
    }

    /** Whole steps covering {@code millis}, at least one. */
    static int steps(long millis, long step) {
        return (int) Math.max(1, (millis + step - 1) / step);
    }
}
