package io.dormouse.sim;

import io.dormouse.hypervisor.fake.LatencyModel;
import java.time.Duration;

/**
 * Restore and hibernate times as log-normal distributions given by their median and 90th percentile,
 * in milliseconds. The default is what the QEMU driver measured for the demo guest (docs/benchmarks.md,
 * "Wake path": restore with a new process to the first HTTP answer, and the guest's pause while hibernating).
 */
public record WakeLatency(double restoreP50, double restoreP90, double hibernateP50, double hibernateP90) {

    /** z of the 90th percentile of the standard normal distribution. */
    private static final double Z90 = 1.2815515655446004;

    public WakeLatency {
        check("restore", restoreP50, restoreP90);
        check("hibernate", hibernateP50, hibernateP90);
    }

    private static void check(String what, double p50, double p90) {
        if (!(p50 > 0) || !(p90 >= p50) || !Double.isFinite(p90)) {
            throw new SimulationException(what + " latency needs 0 < p50 <= p90, got p50 " + p50 + " ms, p90 " + p90 + " ms");
        }
    }

    /**
     * QEMU 7.2, TCG, 128 MiB demo guest, new process per restore: restore 265 / 314 ms, pause 18.8 / 28.9 ms;
     * the medians are the fake hypervisor's {@link LatencyModel#measuredQemu()}.
     */
    public static WakeLatency measuredQemu() {
        LatencyModel medians = LatencyModel.measuredQemu();
        return new WakeLatency(millis(medians.restore()), 314.2, millis(medians.hibernate()), 28.9);
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    /** A restore time in milliseconds for the standard normal deviate {@code z}. */
    double restore(double z) {
        return sample(restoreP50, restoreP90, z);
    }

    /** A hibernate time in milliseconds for the standard normal deviate {@code z}. */
    double hibernate(double z) {
        return sample(hibernateP50, hibernateP90, z);
    }

    private static double sample(double p50, double p90, double z) {
        return p50 * Math.exp(Math.log(p90 / p50) / Z90 * z);
    }
}
