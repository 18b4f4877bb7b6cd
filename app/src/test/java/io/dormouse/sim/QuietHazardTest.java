package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuietHazardTest {

    private static final int MORNING_SHORT = QuietHazard.context(0, 1);
    private static final int EVENING_LONG = QuietHazard.context(Trace.STEPS_PER_DAY - 1, 5);

    @Test
    void contextsSplitTheDayInQuartersAndTheBusyRunInOneStepOrLonger() {
        assertThat(QuietHazard.context(0, 1)).isEqualTo(0);
        assertThat(QuietHazard.context(0, 2)).isEqualTo(1);
        assertThat(QuietHazard.context(Trace.STEPS_PER_DAY / 4, 1)).isEqualTo(2);
        assertThat(QuietHazard.context(Trace.STEPS_PER_DAY + 1, 1)).as("the next day, same quarter").isEqualTo(0);
        assertThat(EVENING_LONG).isEqualTo(QuietHazard.CONTEXTS - 1);
    }

    @Test
    void staysAwakeThroughTheUsualShortGapOnlyWhileIdleHoursAreCheaperThanTheColdStartsTheySave() {
        QuietHazard hazard = new QuietHazard();
        // ten gaps of 2 quiet steps and one of 100
        for (int i = 0; i < 10; i++) {
            hazard.observe(MORNING_SHORT, 2);
        }
        hazard.observe(MORNING_SHORT, 100);
        double[] costs = {0.001, 1, 1000};
        int[] limits = new int[costs.length * QuietHazard.CONTEXTS];

        hazard.limits(costs, limits);

        // nearly free idle hours: outlast even the long gap (101 steps, no cold start)
        assertThat(limits[MORNING_SHORT]).isEqualTo(101);
        // 1 per idle hour: 3 steps costs 23 idle steps (1.9 h) and one cold start, against 11 cold starts at 1 step
        assertThat(limits[QuietHazard.CONTEXTS + MORNING_SHORT]).isEqualTo(3);
        // 1000 per idle hour: hibernate after the first quiet step
        assertThat(limits[2 * QuietHazard.CONTEXTS + MORNING_SHORT]).isEqualTo(1);
    }

    @Test
    void eachContextKeepsItsOwnLimitAndAnUnseenOneFollowsTheVmAsAWhole() {
        QuietHazard hazard = new QuietHazard();
        for (int i = 0; i < 50; i++) {
            hazard.observe(MORNING_SHORT, 2);     // short pauses in the morning
            hazard.observe(EVENING_LONG, 200);    // the night after a long busy run
        }
        int[] limits = new int[QuietHazard.CONTEXTS];

        hazard.limits(new double[] {1}, limits);

        assertThat(limits[MORNING_SHORT]).as("outlast the 2-step pauses").isEqualTo(3);
        assertThat(limits[EVENING_LONG]).as("hibernate at once before the night").isEqualTo(1);
        int unseen = QuietHazard.context(Trace.STEPS_PER_DAY / 2, 1);
        // half the gaps are 2 steps: staying 3 steps saves 50 cold starts for about 50 * 3 + 50 * 2 steps (21 h)
        assertThat(limits[unseen]).as("a context without gaps of its own").isEqualTo(3);
    }

    @Test
    void withNoGapSeenEveryLimitIsTheShortest() {
        int[] limits = new int[QuietHazard.CONTEXTS];

        new QuietHazard().limits(new double[] {1}, limits);

        assertThat(limits).containsOnly(1);
    }

    @Test
    void aGapHasAtLeastOneQuietStep() {
        assertThatThrownBy(() -> new QuietHazard().observe(0, 0)).hasMessageContaining("at least one step, got 0");
    }
}
