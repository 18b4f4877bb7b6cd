package io.dormouse.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.schedule.Decision.Hibernate;
import io.dormouse.schedule.Decision.Stay;
import io.dormouse.schedule.Decision.WakeAhead;
import io.dormouse.schedule.Decision.Why;
import io.dormouse.schedule.SchedulePolicy.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final Duration STEP = Duration.ofMinutes(1);
    /** A Monday, 10:00 UTC. */
    private static final Instant MONDAY_10 = Instant.parse("2026-11-16T10:00:00Z");

    private static final SchedulePolicy PREDICTIVE = new SchedulePolicy(Kind.PREDICTIVE, 1.0, Duration.ofMinutes(10),
            3.0, Duration.ofMinutes(1), Duration.ofMinutes(5), 4, AlwaysOnWindows.NONE, false);
    private static final SchedulePolicy FIXED = PREDICTIVE.withKind(Kind.FIXED_IDLE);

    /** A fake clock and the VM's state, moved by the test. */
    private Instant now = MONDAY_10;
    private boolean awake = true;
    private Instant since = MONDAY_10.minus(Duration.ofHours(1));
    private int transitions;
    private int connections;
    private Duration restore = Duration.ofMinutes(2);

    private Decision decide(SchedulePolicy policy, double[] observed, double[] predicted) {
        return Decider.decide(policy, new Situation(now, awake, since, transitions, connections, Demand.of(observed),
                Demand.of(predicted), STEP, restore));
    }

    private static double[] flat(int steps, double value) {
        double[] v = new double[steps];
        Arrays.fill(v, value);
        return v;
    }

    @Test
    void fixedIdleHibernatesOnlyAfterDemandStayedBelowTheThresholdForTheDuration() {
        double[] nineQuiet = new double[30];
        Arrays.fill(nineQuiet, 0, 21, 5.0);
        assertThat(decide(FIXED, nineQuiet, new double[0]))
                .isInstanceOf(Stay.class).extracting(Decision::why).isEqualTo(Why.BUSY_OBSERVED);
        assertThat(decide(FIXED, nineQuiet, new double[0]).reason()).contains("9m ago").contains("not below 1");

        double[] tenQuiet = Arrays.copyOf(nineQuiet, 31);
        Decision d = decide(FIXED, tenQuiet, new double[0]);
        assertThat(d).isInstanceOf(Hibernate.class);
        assertThat(d.reason()).isEqualTo("observed demand stayed below 1.00 for 10m (peak 0.00)");
    }

    @Test
    void demandAtTheThresholdIsNotBelowIt() {
        assertThat(decide(FIXED, flat(10, 1.0), new double[0])).isInstanceOf(Stay.class);
        assertThat(decide(FIXED, flat(10, 0.99), new double[0])).isInstanceOf(Hibernate.class);
    }

    @Test
    void aMissingObservationIsNeverQuiet() {
        double[] gap = flat(10, 0);
        gap[4] = Double.NaN;
        assertThat(decide(FIXED, gap, new double[0]).why()).isEqualTo(Why.BUSY_OBSERVED);
        assertThat(decide(FIXED, flat(9, 0), new double[0]).why()).isEqualTo(Why.SHORT_HISTORY);
    }

    @Test
    void predictiveHibernatesWhenTheForecastStaysQuietForTheLongerOfDurationAndTheWayBackPlusAStep() {
        double[] quietNow = flat(5, 0);
        // quiet for 10 steps, then demand: exactly the duration
        double[] predicted = flat(20, 0);
        Arrays.fill(predicted, 10, 20, 5.0);
        assertThat(decide(PREDICTIVE, quietNow, predicted)).isInstanceOf(Hibernate.class);
        // demand at step 9: inside the duration
        predicted[9] = 5.0;
        Decision busy = decide(PREDICTIVE, quietNow, predicted);
        assertThat(busy.why()).isEqualTo(Why.BUSY_PREDICTED);
        assertThat(busy.reason()).isEqualTo("predicted demand 5.00 at +9m is not below 1.00");
        // a long restore stretches the quiet needed past the duration: 12 min restore + 1 min margin + 1 step
        predicted[9] = 0;
        restore = Duration.ofMinutes(12);
        assertThat(decide(PREDICTIVE, quietNow, predicted).why()).isEqualTo(Why.BUSY_PREDICTED);
        assertThat(decide(PREDICTIVE, quietNow, flat(13, 0)).why()).isEqualTo(Why.SHORT_FORECAST);
        assertThat(decide(PREDICTIVE, quietNow, flat(14, 0))).isInstanceOf(Hibernate.class);
    }

    @Test
    void predictiveDoesNotHibernateWhileObservedDemandIsHighWhateverTheForecast() {
        assertThat(decide(PREDICTIVE, new double[] {0, 0, 2.0}, flat(20, 0)).why()).isEqualTo(Why.BUSY_NOW);
        assertThat(decide(PREDICTIVE, new double[0], flat(20, 0)).why()).isEqualTo(Why.BUSY_NOW);
    }

    @Test
    void hibernatedVmIsWokenWhenTheForecastCrossesWithinRestoreTimePlusMarginPlusAStep() {
        awake = false;
        // restore 2 min + margin 1 min, and the next look a step later: steps starting before +4 min
        double[] predicted = flat(10, 0);
        predicted[4] = 10;
        assertThat(decide(PREDICTIVE, flat(5, 0), predicted).why()).isEqualTo(Why.QUIET_AHEAD);
        predicted[3] = 10;
        Decision wake = decide(PREDICTIVE, flat(5, 0), predicted);
        assertThat(wake).isInstanceOf(WakeAhead.class);
        assertThat(wake.reason()).isEqualTo(
                "predicted demand 10.0 at +3m crosses the wake threshold 3.00 within restore time plus margin");
        assertThat(decide(PREDICTIVE, new double[] {0, 4}, flat(10, 0)).why()).isEqualTo(Why.DEMAND_NOW);
    }

    @Test
    void hysteresisKeepsEachStateInsideTheBandBetweenTheThresholds() {
        double[] inBand = flat(30, 2.0);
        // awake: 2 is not below 1, stays awake
        assertThat(decide(PREDICTIVE, inBand, inBand).why()).isEqualTo(Why.BUSY_NOW);
        assertThat(decide(FIXED, inBand, inBand).why()).isEqualTo(Why.BUSY_OBSERVED);
        // asleep: 2 is not above 3, stays asleep
        awake = false;
        assertThat(decide(PREDICTIVE, inBand, inBand).why()).isEqualTo(Why.QUIET_AHEAD);
        // just over the band wakes it
        assertThat(decide(PREDICTIVE, inBand, flat(30, 3.01))).isInstanceOf(WakeAhead.class);
        assertThatThrownBy(() -> PREDICTIVE.withThresholds(2.0, Duration.ofMinutes(1), 1.0))
                .isInstanceOf(ScheduleException.class)
                .hasMessageContaining("wakeAbove must be a finite number at least hibernateBelow (2.0)")
                .extracting(e -> ((ScheduleException) e).field()).isEqualTo("wakeAbove");
    }

    @Test
    void minimumAwakeTimeHoldsAFreshlyWokenVm() {
        since = now.minus(Duration.ofMinutes(4)).minusSeconds(59);
        Decision held = decide(PREDICTIVE, flat(30, 0), flat(30, 0));
        assertThat(held.why()).isEqualTo(Why.MINIMUM_AWAKE);
        assertThat(held.reason()).isEqualTo("awake for 299 s, under its minimum awake time of 300 s");
        now = now.plusSeconds(1);
        assertThat(decide(PREDICTIVE, flat(30, 0), flat(30, 0))).isInstanceOf(Hibernate.class);
    }

    @Test
    void activeConnectionsBlockHibernationWhateverTheDemand() {
        connections = 2;
        assertThat(decide(PREDICTIVE, flat(30, 0), flat(30, 0)).reason()).isEqualTo("2 active connections");
        assertThat(decide(FIXED, flat(30, 0), flat(30, 0)).why()).isEqualTo(Why.ACTIVE_CONNECTIONS);
        connections = 0;
        assertThat(decide(FIXED, flat(30, 0), flat(30, 0))).isInstanceOf(Hibernate.class);
    }

    @Test
    void flapGuardStopsTransitionsOnceTheHourlyLimitIsReached() {
        transitions = 4;
        assertThat(decide(PREDICTIVE, flat(30, 0), flat(30, 0)).reason())
                .isEqualTo("flap guard: 4 transitions in the last hour, the limit is 4");
        awake = false;
        assertThat(decide(PREDICTIVE, flat(30, 0), flat(30, 9)).why()).isEqualTo(Why.FLAP_GUARD);
        transitions = 3;
        assertThat(decide(PREDICTIVE, flat(30, 0), flat(30, 9))).isInstanceOf(WakeAhead.class);
    }

    @Test
    void flapGuardCountsAFakeClocksTransitionsOverASlidingHour() {
        TransitionLog log = new TransitionLog();
        long t0 = MONDAY_10.toEpochMilli();
        for (int i = 0; i < 20; i++) {
            log.record(t0 + i * 60_000L);
        }
        assertThat(log.lastHour(t0 + 19 * 60_000L)).isEqualTo(20);
        assertThat(log.lastHour(t0 + 3_600_000L)).isEqualTo(19);
        assertThat(log.lastHour(t0 + 3_600_000L + 10 * 60_000L)).isEqualTo(9);
        assertThat(log.latest()).isEqualTo(t0 + 19 * 60_000L);
        assertThat(log.lastHour(t0 + 10 * 3_600_000L)).isZero();
    }

    @Test
    void fixedIdleIsNeverWokenAhead() {
        awake = false;
        assertThat(decide(FIXED, flat(5, 9), flat(30, 9)).why()).isEqualTo(Why.REACTIVE_ONLY);
    }

    @Test
    void alwaysOnKindAndWindowsKeepTheVmAwakeAndWakeItBeforeTheWindow() {
        SchedulePolicy always = PREDICTIVE.withKind(Kind.ALWAYS_ON);
        assertThat(decide(always, flat(30, 0), flat(30, 0)).why()).isEqualTo(Why.ALWAYS_ON_POLICY);

        SchedulePolicy office = PREDICTIVE.withAlwaysOn(List.of("Mon-Fri 10:05-18:00"));
        // 10:00: the window begins within the 10 min of quiet needed
        assertThat(decide(office, flat(30, 0), flat(30, 0)).why()).isEqualTo(Why.ALWAYS_ON_WINDOW_AHEAD);
        now = Instant.parse("2026-11-16T12:00:00Z");
        assertThat(decide(office, flat(30, 0), flat(30, 0)).why()).isEqualTo(Why.IN_ALWAYS_ON_WINDOW);
        // Saturday noon: outside
        now = Instant.parse("2026-11-21T12:00:00Z");
        assertThat(decide(office, flat(30, 0), flat(30, 0))).isInstanceOf(Hibernate.class);

        awake = false;
        now = Instant.parse("2026-11-17T10:00:00Z");
        assertThat(decide(office, flat(30, 0), flat(30, 0)).why()).isEqualTo(Why.QUIET_AHEAD);
        // 4 min before: restore 2 min, margin 1 min, and the next look a step later
        now = Instant.parse("2026-11-17T10:01:00Z");
        assertThat(decide(office, flat(30, 0), flat(30, 0)).why()).isEqualTo(Why.ALWAYS_ON_WINDOW_AHEAD);
    }

    @Test
    void alwaysOnWindowsParseDaysRangesAndMidnight() {
        AlwaysOnWindows w = AlwaysOnWindows.parse(List.of("sun 22:00-02:00", "Tue,Thu 09:30-24:00"));
        assertThat(w.texts()).containsExactly("Sun 22:00-02:00", "Tue,Thu 09:30-24:00");
        assertThat(w.contains(Instant.parse("2026-11-22T23:00:00Z").toEpochMilli())).isTrue();
        // Sunday night runs into Monday morning, across the week's end
        assertThat(w.contains(Instant.parse("2026-11-23T01:59:00Z").toEpochMilli())).isTrue();
        assertThat(w.contains(Instant.parse("2026-11-23T02:00:00Z").toEpochMilli())).isFalse();
        assertThat(w.contains(Instant.parse("2026-11-19T23:59:00Z").toEpochMilli())).isTrue();
        assertThat(w.contains(Instant.parse("2026-11-19T09:29:00Z").toEpochMilli())).isFalse();
        assertThat(AlwaysOnWindows.parse(List.of("daily 00:00-24:00")).texts()).containsExactly("daily 00:00-24:00");
        assertThatThrownBy(() -> AlwaysOnWindows.parse(List.of("Mon-Fri 8-18")))
                .isInstanceOf(ScheduleException.class)
                .hasMessage("alwaysOn window 'Mon-Fri 8-18' is not valid: expected a time HH:MM from 00:00 to 24:00,"
                        + " got '8'");
        assertThatThrownBy(() -> AlwaysOnWindows.parse(List.of("Funday 08:00-18:00")))
                .hasMessageContaining("got 'Funday'");
    }

    @Test
    void policyRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> new SchedulePolicy(Kind.PREDICTIVE, -1, Duration.ofMinutes(1), 1, Duration.ZERO,
                Duration.ZERO, 4, null, false)).extracting(e -> ((ScheduleException) e).field())
                .isEqualTo("hibernateBelow");
        assertThatThrownBy(() -> new SchedulePolicy(Kind.PREDICTIVE, 0, Duration.ZERO, 1, Duration.ZERO,
                Duration.ZERO, 4, null, false)).hasMessage("hibernateAfter must be a positive duration, got PT0S");
        assertThatThrownBy(() -> new SchedulePolicy(Kind.PREDICTIVE, 0, Duration.ofMinutes(1), 1, Duration.ZERO,
                Duration.ZERO, 0, null, false)).hasMessage("maxTransitionsPerHour must be 1 to 3600, got 0");
        assertThatThrownBy(() -> Kind.of("sometimes"))
                .hasMessage("kind must be one of fixed-idle, hybrid-histogram, predictive, expected-cost, always-on, got 'sometimes'");
        assertThat(Kind.of("hybrid_histogram")).isEqualTo(Kind.HYBRID_HISTOGRAM);
    }

    /** Expected cost: a cold start worth {@code breakEven} of idle awake time; quiet below 1. */
    private static SchedulePolicy expectedCost(Duration breakEven) {
        return PREDICTIVE.withKind(Kind.EXPECTED_COST).withThresholds(1.0, breakEven, 3.0);
    }

    /** {@code times} repetitions of one busy step followed by {@code quiet} quiet ones, then {@code tail}. */
    private static double[] gaps(int times, int quiet, double... tail) {
        double[] v = new double[times * (quiet + 1) + tail.length];
        for (int i = 0; i < times; i++) {
            v[i * (quiet + 1)] = 5.0;
        }
        System.arraycopy(tail, 0, v, times * (quiet + 1), tail.length);
        return v;
    }

    @Test
    void expectedCostStaysAwakeThroughTheShortPausesItsHistoryShowsThenHibernatesPastThem() {
        // pauses of 2 quiet steps: staying 3 steps costs 2 idle minutes a pause, a fifth of a cold start at 10 minutes
        SchedulePolicy policy = expectedCost(Duration.ofMinutes(10));

        Decision oneQuiet = decide(policy, gaps(20, 2, 5, 0), new double[0]);
        assertThat(oneQuiet).isInstanceOf(Stay.class).extracting(Decision::why).isEqualTo(Why.QUIET_UNDER_LIMIT);
        assertThat(oneQuiet.reason()).isEqualTo("quiet for 1 steps, under the 3 its past gaps make worth staying awake");
        assertThat(decide(policy, gaps(20, 2, 5, 0, 0), new double[0])).isInstanceOf(Stay.class);
        Decision threeQuiet = decide(policy, gaps(20, 2, 5, 0, 0, 0), new double[0]);
        assertThat(threeQuiet).isInstanceOf(Hibernate.class).extracting(Decision::why).isEqualTo(Why.QUIET_PAST_LIMIT);
        assertThat(decide(policy, gaps(20, 2, 5), new double[0]))
                .extracting(Decision::why).isEqualTo(Why.BUSY_NOW);
    }

    @Test
    void expectedCostHibernatesAtOnceAfterIsolatedBurstsWhenIdleTimeIsDear() {
        // pauses of 100 quiet steps and a cold start worth only 2 idle minutes: waiting never pays
        Decision d = decide(expectedCost(Duration.ofMinutes(2)), gaps(5, 100, 5, 0), new double[0]);

        assertThat(d).isInstanceOf(Hibernate.class);
        assertThat(d.reason()).isEqualTo("quiet for 1 steps, past the 1 its past gaps make worth staying awake");
        // the same history with a cold start worth 3 hours of idle time: stay through the 100-step pauses
        assertThat(decide(expectedCost(Duration.ofHours(3)), gaps(5, 100, 5, 0), new double[0]))
                .extracting(Decision::why).isEqualTo(Why.QUIET_UNDER_LIMIT);
    }

    @Test
    void expectedCostWithoutAPastGapWaitsTheBreakEvenTimeAndIsNeverWokenAhead() {
        SchedulePolicy policy = expectedCost(Duration.ofMinutes(3));

        assertThat(decide(policy, new double[] {5, 0, 0}, new double[0])).isInstanceOf(Stay.class);
        assertThat(decide(policy, new double[] {5, 0, 0, 0}, new double[0])).isInstanceOf(Hibernate.class);
        awake = false;
        assertThat(decide(policy, new double[] {5, 0, 0, 0}, flat(10, 50)))
                .extracting(Decision::why).isEqualTo(Why.REACTIVE_ONLY);
    }
}
