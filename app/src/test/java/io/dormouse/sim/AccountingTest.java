package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-made VMs whose right figures are worked out in the comments. Steps are 5 minutes (300,000 ms). */
class AccountingTest {

    private static final long STEP = 300_000;

    /** Requests per step (the first {@code from} are history); every request arrives at {@code arrivalMs}; restore 300 ms, hibernate 20 ms. */
    private static VmRun vm(int from, double arrivalMs, int... requests) {
        VmRun run = new VmRun(requests.length, from);
        System.arraycopy(requests, 0, run.requests, 0, requests.length);
        Arrays.fill(run.arrivalMs, (float) arrivalMs);
        Arrays.fill(run.restoreMs, 300f);
        Arrays.fill(run.hibernateMs, 20f);
        return run;
    }

    private static Tally score(Policy policy, VmRun run) {
        boolean[] awake = new boolean[run.steps];
        Decisions.decide(policy, run, awake, null);
        Tally tally = new Tally();
        Accounting.score(run, awake, tally);
        return tally;
    }

    @Test
    void aTenMinuteTimeoutHibernatesAfterTwoQuietStepsAndColdStartsOnTheNextRequest() {
        //            history | scored: 2  3  4  5  6  7  8  9 10 11
        VmRun run = vm(2, 60_000, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0);

        Tally t = score(new Policy.IdleTimeout(Duration.ofMinutes(10)), run);

        // step 2 awake (1 quiet step since step 0), step 3 hibernates (20 ms awake), 4 asleep,
        // 5: the request at 60 s finds it asleep: cold, 300 ms added, awake for the 240 s left;
        // 6, 7 (request, warm), 8, 9 awake; 10 hibernates (20 ms); 11 asleep
        assertThat(t.demandSteps).isEqualTo(2);
        assertThat(t.coldStarts).isEqualTo(1);
        assertThat(t.hibernations).isEqualTo(2);
        assertThat(t.wakes).isEqualTo(1);
        assertThat(t.proactiveWakes).isZero();
        assertThat(t.awakeMs).isEqualTo(STEP + 20 + 240_000 + 4 * STEP + 20);
        assertThat(t.idleAwakeMs).isEqualTo(STEP + 20 + 3 * STEP + 20);
        assertThat(t.latency[300]).isEqualTo(1);
        assertThat(t.latency[0]).isEqualTo(1);
        assertThat(Tally.quantile(t.latency, 0.99)).isEqualTo(300);
        assertThat(t.scoredSteps).isEqualTo(10);
    }

    @Test
    void aRequestWhileTheVmIsStillHibernatingWaitsForTheRestOfItAndARestore() {
        //            history | scored: 2  3
        VmRun run = vm(2, 10, 1, 0, 0, 1);

        Tally t = score(new Policy.IdleTimeout(Duration.ofMinutes(10)), run);

        assertThat(t.coldStarts).isEqualTo(1);
        assertThat(t.latency[20 - 10 + 300]).isEqualTo(1);
        assertThat(t.awakeMs).isEqualTo(2 * STEP);
    }

    @Test
    void theOracleIsAwakeExactlyForTheRequestsAndWakesAheadOfEach() {
        VmRun run = vm(2, 60_000, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0);

        Tally t = score(new Policy.Oracle(Duration.ofMinutes(5)), run);

        // asleep from the start; woken at the boundaries of steps 5 and 7, each request 60 s later;
        // hibernated at steps 6 and 8 (20 ms awake each)
        assertThat(t.coldStarts).isZero();
        assertThat(t.proactiveWakes).isEqualTo(2);
        assertThat(t.wastedWakes).isZero();
        assertThat(t.hibernations).isEqualTo(2);
        assertThat(t.idleAwakeMs).isEqualTo(40);
        assertThat(t.lead[1]).as("two leads of one minute").isEqualTo(2);
        assertThat(Tally.quantile(t.lead, 0.5)).isEqualTo(1);
    }

    @Test
    void aWakeAtTheBoundaryIsLateForARequestArrivingDuringTheRestore() {
        VmRun run = vm(2, 100, 1, 0, 0, 0, 0, 1);

        Tally t = score(new Policy.Oracle(Duration.ofMinutes(5)), run);

        assertThat(t.coldStarts).isEqualTo(1);
        assertThat(t.latency[200]).isEqualTo(1);
        assertThat(t.lead).containsOnly(0);
    }

    @Test
    void anOracleGapBridgesQuietRunsShorterThanIt() {
        VmRun run = vm(2, 60_000, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0);

        Tally t = score(new Policy.Oracle(Duration.ofMinutes(10)), run);

        // the one quiet step between 5 and 7 is slept through awake; no other gap is bridged
        assertThat(t.hibernations).isEqualTo(1);
        assertThat(t.idleAwakeMs).isEqualTo(STEP + 20);
    }

    @Test
    void alwaysOnIsAwakeEveryStepAndNeverColdStarts() {
        VmRun run = vm(2, 60_000, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0);

        Tally t = score(new Policy.AlwaysOn(), run);

        assertThat(t.coldStarts).isZero();
        assertThat(t.awakeMs).isEqualTo(10 * STEP);
        assertThat(t.idleAwakeMs).isEqualTo(8 * STEP);
        assertThat(t.wakes + t.hibernations).isZero();
    }
}
