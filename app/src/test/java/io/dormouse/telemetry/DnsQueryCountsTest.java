package io.dormouse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsQueryCountsTest {

    private final DnsQueryCounts counts = new DnsQueryCounts();

    @Test
    void countsPerVmAcrossPages() {
        counts.count(1);
        counts.count(1);
        counts.count(1023);
        counts.count(1024);
        counts.count(5_000_000);

        assertThat(counts.queries(1)).isEqualTo(2);
        assertThat(counts.queries(1023)).isEqualTo(1);
        assertThat(counts.queries(1024)).isEqualTo(1);
        assertThat(counts.queries(5_000_000)).isEqualTo(1);
        assertThat(counts.queries(2)).isZero();
        assertThat(counts.queries(9_000_000)).as("a page never made").isZero();
        assertThatThrownBy(() -> counts.count(-1)).hasMessageContaining("VM id -1");
    }

    @Test
    void concurrentQueriesAreAllCounted() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counts.count(7);
                    counts.count(1 + (i * 8L + offset) % 50_000); // new pages appear while others count
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long all = 0;
        for (long id = 1; id <= 50_000; id++) {
            all += counts.queries(id);
        }

        assertThat(all).isEqualTo(8 * 10_000 * 2);
    }
}
