package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class HybridHistogramTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** One-minute steps, 10 when {@code active}, else 0. */
    private static Series minutes(int steps, IntPredicate active) {
        double[] v = new double[steps];
        for (int i = 0; i < steps; i++) {
            v[i] = active.test(i) ? 10 : 0;
        }
        return new Series(Synthetic.START, MINUTE, v);
    }

    @Test
    void recoversTheWindowsOfAnHourlyInvocation() {
        Series hourly = minutes(3 * 1440, i -> i % 60 == 0);

        IdleWindows windows = HybridHistogram.withThreshold(1).windows(hourly);

        // idle time 59 min: pre-warm at 90% of 59 (53 min), warm until 110% of the 60-minute bin edge (66 min)
        assertThat(windows).isEqualTo(new IdleWindows(Duration.ofMinutes(53), Duration.ofMinutes(13), true));
        assertThat(windows.warmAfter(Duration.ofMinutes(59))).isTrue();
        assertThat(windows.warmAfter(Duration.ofMinutes(30))).isFalse();
    }

    @Test
    void windowsCoverJitteredIdleTimesWithThePapersMargins() {
        Random random = new Random(42);
        boolean[] active = new boolean[5 * 1440];
        for (int i = 0; i < active.length; i += 50 + random.nextInt(21)) {
            active[i] = true;
        }
        Series jittered = minutes(active.length, i -> active[i]);

        IdleWindows w = HybridHistogram.withThreshold(1).windows(jittered);

        assertThat(w.representative()).isTrue();
        assertThat(w.prewarm()).isBetween(Duration.ofMinutes(40), Duration.ofMinutes(49));
        assertThat(w.prewarm().plus(w.keepAlive())).isBetween(Duration.ofMinutes(70), Duration.ofMinutes(80));
    }

    @Test
    void forecastsDemandInsideTheWarmWindowOnly() {
        Series hourly = minutes(3 * 1440 + 1, i -> i % 60 == 0);

        Forecast f = HybridHistogram.withThreshold(1).fit(hourly, Calendar.EMPTY).predict(hourly, 90);

        double[] q99 = f.quantile(0.99);
        double[] median = f.quantile(0.5);
        for (int t = 0; t < 90; t++) {
            boolean warm = t >= 53 && t <= 66;
            assertThat(q99[t]).as("q0.99 at step %d", t).isEqualTo(warm ? 10.0 : 0.0);
            assertThat(median[t]).isZero();
        }
    }

    @Test
    void fallsBackWhenIdleTimesAreTooFewTooLongOrWithoutPattern() {
        HybridHistogram policy = HybridHistogram.withThreshold(1);
        IdleWindows fixed = new IdleWindows(Duration.ZERO, HybridHistogram.RANGE, false);

        assertThat(policy.windows(minutes(3 * 1440, i -> i == 10 || i == 70 || i == 130))).isEqualTo(fixed);
        assertThat(policy.windows(minutes(10 * 1440, i -> i % 360 == 0))).isEqualTo(fixed);

        Random random = new Random(7);
        boolean[] active = new boolean[30 * 1440];
        for (int i = 0; i < active.length; i += 1 + random.nextInt(240)) {
            active[i] = true;
        }
        assertThat(policy.windows(minutes(active.length, i -> active[i]))).isEqualTo(fixed);
    }

    @Test
    void forecastsWithTheFallbackModelWhenNotRepresentative() {
        Series sparse = minutes(3 * 1440, i -> i % 360 == 0);
        Forecaster naive = SeasonalNaive.previousDay();

        Forecast viaPolicy = HybridHistogram.withThreshold(1).withFallback(naive).fit(sparse, Calendar.EMPTY).predict(sparse, 30);
        Forecast direct = naive.fit(sparse, Calendar.EMPTY).predict(sparse, 30);

        assertThat(viaPolicy.values()).isDeepEqualTo(direct.values());
    }

    @Test
    void forecastsABusyVmWithTheFallbackModel() {
        Series busy = minutes(3 * 1440, i -> i % 60 != 0);
        Forecaster naive = SeasonalNaive.previousDay();
        HybridHistogram policy = HybridHistogram.withThreshold(1).withFallback(naive);

        assertThat(policy.windows(busy).representative()).isTrue();
        assertThat(policy.fit(busy, Calendar.EMPTY).predict(busy, 30).values())
                .isDeepEqualTo(naive.fit(busy, Calendar.EMPTY).predict(busy, 30).values());
    }
}
