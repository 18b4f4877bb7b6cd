package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final ManualClock clock = new ManualClock();
    private final TokenBucket bucket = new TokenBucket(clock);

    @Test
    void unlimitedNeverWaits() {
        assertThat(bucket.rate()).isZero();
        assertThat(bucket.take(1L << 40)).isZero();
        assertThat(bucket.chunk()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aBurstPassesAtOnceAndTheRestWaitsAtTheRate() {
        bucket.rate(1_000_000);
        assertThat(bucket.chunk()).as("a tenth of the rate").isEqualTo(100_000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.take(100_000)).as("the full bucket").isZero();
        assertThat(bucket.take(500_000)).as("half a second of debt").isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(500));
        assertThat(bucket.take(1000)).as("the debt paid, 1 ms more").isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofSeconds(10));
        assertThat(bucket.take(100_000)).as("refilled only up to the burst").isZero();
        assertThat(bucket.take(1000)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aSmallRateStillLetsAMinimumBurstThrough() {
        bucket.rate(1000);
        clock.advance(Duration.ofMinutes(1));
        assertThat(bucket.chunk()).isEqualTo(TokenBucket.MIN_BURST);
        assertThat(bucket.take(TokenBucket.MIN_BURST)).isZero();
        assertThat(bucket.take(1000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theRateCanChangeWhileInUseAndZeroLiftsTheLimit() {
        bucket.rate(1000);
        clock.advance(Duration.ofMinutes(1));
        bucket.take(TokenBucket.MIN_BURST + 5000);
        bucket.rate(0);
        assertThat(bucket.take(1 << 30)).isZero();
        assertThatThrownBy(() -> bucket.rate(-5)).hasMessageContaining("bytesPerSecond").hasMessageContaining("-5");
    }
}
