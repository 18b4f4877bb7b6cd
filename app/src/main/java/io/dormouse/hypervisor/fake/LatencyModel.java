package io.dormouse.hypervisor.fake;

import java.time.Duration;

/** How long the fake takes for each operation, so the simulator can replay realistic wake times. */
public record LatencyModel(Duration start, Duration hibernate, Duration restore) {

    public LatencyModel {
        for (Duration d : new Duration[] {start, hibernate, restore}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("latencies must be zero or more, got start " + start
                        + ", hibernate " + hibernate + ", restore " + restore);
            }
        }
    }

    /** No added latency. */
    public static LatencyModel none() {
        return new LatencyModel(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The medians the QEMU driver measured for the demo guest (docs/benchmarks.md, "Wake path"): restore to the
     * first HTTP answer with a new process 265 ms, guest pause while hibernating 18.8 ms; boot as {@link #tcgDemoGuest()}.
     * The simulator draws around these medians.
     */
    public static LatencyModel measuredQemu() {
        return new LatencyModel(Duration.ofSeconds(3), Duration.ofNanos(18_800_000), Duration.ofMillis(265));
    }

    /** Roughly what QEMU takes for the demo guest under TCG: boot 3 s, hibernate 50 ms, restore 500 ms. */
    public static LatencyModel tcgDemoGuest() {
        return new LatencyModel(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMillis(500));
    }
}
