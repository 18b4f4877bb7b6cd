package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-source admission of the UDP receive path, on a clock the test moves. */
class SourceLimitTest {

    private final AtomicLong millis = new AtomicLong(1_795_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());

    @Test
    void aBurstPassesThenTheRateAndEachAddressHasItsOwnBucket() {
        SourceLimit limit = new SourceLimit(new DnsSettings.Rate(100, 10), clock);
        for (int i = 0; i < 10; i++) {
            assertThat(limit.admit(Fixture.address("192.0.2.1"))).as("query %d of the burst", i)
                    .isEqualTo(SourceLimit.Verdict.ADMIT);
        }
        assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.REFUSE);
        assertThat(limit.admit(Fixture.address("192.0.2.2"))).as("a neighbour in the same /24")
                .isEqualTo(SourceLimit.Verdict.ADMIT);
        millis.addAndGet(10); // 100/s: one token back every 10 ms
        assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.ADMIT);
        assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.REFUSE);
        millis.addAndGet(1000);
        for (int i = 0; i < 10; i++) {
            assertThat(limit.admit(Fixture.address("192.0.2.1"))).as("refilled to the burst, no more")
                    .isEqualTo(SourceLimit.Verdict.ADMIT);
        }
        assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.REFUSE);
    }

    @Test
    void aBurstsWorthRefusedWithin100MillisecondsIsAFlood() {
        SourceLimit limit = new SourceLimit(new DnsSettings.Rate(100, 10), clock);
        for (int i = 0; i < 10; i++) {
            limit.admit(Fixture.address("192.0.2.1"));
        }
        for (int i = 1; i < 10; i++) {
            assertThat(limit.admit(Fixture.address("192.0.2.1"))).as("refusal %d", i).isEqualTo(SourceLimit.Verdict.REFUSE);
        }
        assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.FLOOD);
        assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.FLOOD);
    }

    @Test
    void aSourceSlightlyOverItsRateIsNeverAFlood() {
        SourceLimit limit = new SourceLimit(new DnsSettings.Rate(100, 10), clock);
        int refused = 0;
        for (int ms = 0; ms < 5000; ms += 7) { // about 143/s against 100/s
            millis.addAndGet(7);
            SourceLimit.Verdict v = limit.admit(Fixture.address("2001:db8::1"));
            assertThat(v).isNotEqualTo(SourceLimit.Verdict.FLOOD);
            refused += v == SourceLimit.Verdict.REFUSE ? 1 : 0;
        }
        assertThat(refused).as("what is above 100/s refused: 715 sent, 500 refilled, 10 in the burst")
                .isBetween(195, 215);
        assertThat(limit.admit(Fixture.address("2001:db8::2"))).as("the same /64 shares the bucket")
                .isEqualTo(SourceLimit.Verdict.REFUSE);
        assertThat(limit.admit(Fixture.address("2001:db8:0:1::1"))).as("another /64")
                .isEqualTo(SourceLimit.Verdict.ADMIT);
    }

    @Test
    void offAdmitsEverything() {
        SourceLimit limit = new SourceLimit(DnsSettings.Rate.OFF, clock);
        for (int i = 0; i < 100_000; i++) {
            assertThat(limit.admit(Fixture.address("192.0.2.1"))).isEqualTo(SourceLimit.Verdict.ADMIT);
        }
    }
}
