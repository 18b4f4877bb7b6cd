package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulationTest {

    /** Three weeks of 5-minute steps: busy bursts by day on a daily cycle plus random bursts, quiet otherwise. */
    static List<Trace> traces() {
        List<Trace> traces = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Random random = new Random(k);
            double[] v = new double[21 * Trace.STEPS_PER_DAY];
            for (int t = 0; t < v.length; t++) {
                int minute = (t % Trace.STEPS_PER_DAY) * 5;
                boolean daily = minute >= 540 + 60 * k && minute < 600 + 60 * k;
                boolean burst = random.nextDouble() < 0.02;
                v[t] = daily || burst ? 50 + random.nextInt(50) : random.nextDouble();
            }
            traces.add(new Trace("synthetic-" + k, Instant.parse("2024-01-01T00:00:00Z"), v));
        }
        return traces;
    }

    private static SimulationReport run(int threads) {
        return Simulation.of(SimulationSettings.defaults(12).withThreads(threads)).run(traces());
    }

    @Test
    void theOracleBeatsEveryFixedTimeoutOnBothColdStartsAndIdleHours() {
        SimulationReport report = run(2);

        PolicyResult oracle = report.result("oracle gap 5m");
        for (String timeout : List.of("idle-timeout 10m", "idle-timeout 20m", "idle-timeout 1h")) {
            PolicyResult t = report.result(timeout);
            assertThat(t.coldStarts()).as(timeout).isPositive();
            assertThat(oracle.coldStartRate()).as(timeout).isLessThan(t.coldStartRate());
            assertThat(oracle.idleAwakeVmHours()).as(timeout).isLessThan(t.idleAwakeVmHours());
        }
        PolicyResult alwaysOn = report.result("always-on");
        assertThat(alwaysOn.coldStarts()).isZero();
        assertThat(alwaysOn.awakeVmHours()).isEqualTo(12 * 7 * 24.0);
    }

    @Test
    void longerTimeoutsTradeIdleHoursForFewerColdStarts() {
        SimulationReport report = run(2);

        List<PolicyResult> timeouts = report.results().stream().filter(r -> r.family() == Family.IDLE_TIMEOUT).toList();
        for (int i = 1; i < timeouts.size(); i++) {
            assertThat(timeouts.get(i).idleAwakeVmHours()).isGreaterThanOrEqualTo(timeouts.get(i - 1).idleAwakeVmHours());
            assertThat(timeouts.get(i).coldStarts()).isLessThanOrEqualTo(timeouts.get(i - 1).coldStarts());
        }
        assertThat(report.curve(Family.IDLE_TIMEOUT).coldStartRateAt(report.result("idle-timeout 20m").idleAwakeVmHours()))
                .isEqualTo(report.result("idle-timeout 20m").coldStartRate());
    }

    @Test
    void thePredictivePolicyWakesAheadOfTheDailyBurst() {
        PolicyResult predictive = run(2).result("predictive 0.05");

        assertThat(predictive.proactiveWakes()).isPositive();
        assertThat(predictive.leadP50Minutes()).isFinite();
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        assertThat(run(1).results()).isEqualTo(run(3).results());
    }
}
