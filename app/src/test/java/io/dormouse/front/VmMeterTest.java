package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** The kernel's totals of routed connections, added to a VM's own counts without ever going backwards. */
class VmMeterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final VmMeter meter = new VmMeter("web", InstantSource.system(), registry, () -> { });

    @Test
    void routedTotalsAddToTheSplicedCounts() {
        meter.opened();
        meter.in(10);
        assertThat(meter.routed(new KernelRoutes.Totals(2, 1, 100, 200))).as("changed: demand").isTrue();
        assertThat(meter.routed(new KernelRoutes.Totals(2, 1, 100, 200))).as("unchanged").isFalse();
        Traffic.Counts c = meter.counts();
        assertThat(c.opened()).isEqualTo(3);
        assertThat(c.active()).isEqualTo(2);
        assertThat(c.bytesIn()).isEqualTo(110);
        assertThat(c.bytesOut()).isEqualTo(200);
        assertThat(registry.get("dormouse.front.connections").tag("vm", "web").functionCounter().count())
                .isEqualTo(3);
    }

    @Test
    void countersThatStartAgainKeepWhatWasCountedBefore() {
        meter.routed(new KernelRoutes.Totals(5, 1, 500, 900));
        meter.routed(new KernelRoutes.Totals(1, 1, 40, 60)); // the kernel's table was built afresh
        Traffic.Counts c = meter.counts();
        assertThat(c.opened()).isEqualTo(6);
        assertThat(c.active()).as("open now, not summed").isEqualTo(1);
        assertThat(c.bytesIn()).isEqualTo(540);
        assertThat(c.bytesOut()).isEqualTo(960);
        meter.routed(new KernelRoutes.Totals(2, 0, 50, 70));
        assertThat(meter.counts().opened()).isEqualTo(7);
        assertThat(meter.counts().active()).isZero();
    }
}
