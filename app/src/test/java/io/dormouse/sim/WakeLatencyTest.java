package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WakeLatencyTest {

    @Test
    void drawsHaveTheMeasuredMedianAndNinetiethPercentile() {
        WakeLatency latency = WakeLatency.measuredQemu();
        SplittableRandom random = new SplittableRandom(1);
        double[] restores = new double[200_000];
        double[] hibernates = new double[restores.length];
        for (int i = 0; i < restores.length; i++) {
            restores[i] = latency.restore(random.nextGaussian());
            hibernates[i] = latency.hibernate(random.nextGaussian());
        }
        Arrays.sort(restores);
        Arrays.sort(hibernates);

        assertThat(restores[restores.length / 2]).isCloseTo(265.0, within(1.0));
        assertThat(restores[restores.length * 9 / 10]).isCloseTo(314.2, within(1.5));
        assertThat(hibernates[hibernates.length / 2]).isCloseTo(18.8, within(0.2));
        assertThat(hibernates[hibernates.length * 9 / 10]).isCloseTo(28.9, within(0.3));
    }

    @Test
    void aNinetiethPercentileBelowTheMedianIsRefused() {
        assertThatThrownBy(() -> new WakeLatency(300, 200, 10, 20))
                .hasMessageContaining("restore latency needs 0 < p50 <= p90, got p50 300.0 ms, p90 200.0 ms");
    }
}
