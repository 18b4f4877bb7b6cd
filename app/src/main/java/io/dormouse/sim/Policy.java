package io.dormouse.sim;

import java.time.Duration;

/**
 * A hibernation policy the simulator compares, with the one parameter its sweep varies. Each
 * decides, at every step boundary, whether a VM is awake for the coming step; demand at a
 * hibernated VM always wakes it (a cold start).
 */
public sealed interface Policy {

    /** The family this point belongs to, as named on the command line. */
    Family family();

    /** A short label for tables and plots, for example {@code idle-timeout 20m}. */
    String label();

    /** The swept parameter's value, in the unit {@link Family#parameter()} names. */
    double parameter();

    /** Never hibernates: no cold start, every hour awake. */
    record AlwaysOn() implements Policy {
        @Override
        public Family family() {
            return Family.ALWAYS_ON;
        }

        @Override
        public String label() {
            return "always-on";
        }

        @Override
        public double parameter() {
            return 0;
        }
    }

    /** Hibernates after {@code timeout} without a request (Knative's scale-to-zero, Fly's auto-stop, Sablier); wakes on demand only. */
    record IdleTimeout(Duration timeout) implements Policy {
        public IdleTimeout {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new SimulationException("idle timeout must be positive, got " + timeout);
            }
        }

        @Override
        public Family family() {
            return Family.IDLE_TIMEOUT;
        }

        @Override
        public String label() {
            return "idle-timeout " + minutes(timeout);
        }

        @Override
        public double parameter() {
            return timeout.toMinutes();
        }
    }

    /**
     * Each VM's own idle timeout, chosen by the scheduler's {@code Tuning} on the VM's history from the
     * idle-timeout family's durations, at a cost of one per cold start and {@code idleHourCost} per idle awake hour.
     */
    record TunedTimeout(double idleHourCost) implements Policy {
        public TunedTimeout {
            if (!(idleHourCost > 0) || !Double.isFinite(idleHourCost)) {
                throw new SimulationException("tuned timeout idle hour cost must be positive, got " + idleHourCost);
            }
        }

        @Override
        public Family family() {
            return Family.TUNED_TIMEOUT;
        }

        @Override
        public String label() {
            return "tuned-timeout " + trim(idleHourCost);
        }

        @Override
        public double parameter() {
            return idleHourCost;
        }
    }

    /**
     * The hybrid histogram (Shahrad et al., USENIX ATC 2020) from {@code io.dormouse.forecast}, windows
     * learned from the history so far and refitted daily; the keep-alive window multiplied by {@code keepAliveScale}.
     */
    record HybridHistogram(double keepAliveScale) implements Policy {
        public HybridHistogram {
            if (!(keepAliveScale > 0) || !Double.isFinite(keepAliveScale)) {
                throw new SimulationException("hybrid histogram keep-alive scale must be positive, got " + keepAliveScale);
            }
        }

        @Override
        public Family family() {
            return Family.HYBRID_HISTOGRAM;
        }

        @Override
        public String label() {
            return "hybrid-histogram x" + trim(keepAliveScale);
        }

        @Override
        public double parameter() {
            return keepAliveScale;
        }
    }

    /** Dormouse's predictive policy: awake while the chance of a request in the coming step, given the forecast and the quiet time so far, is at least {@code threshold}. */
    record Predictive(double threshold) implements Policy {
        public Predictive {
            if (!(threshold > 0) || !(threshold < 1)) {
                throw new SimulationException("predictive threshold must be a chance between 0 and 1 exclusive, got " + threshold);
            }
        }

        @Override
        public Family family() {
            return Family.PREDICTIVE;
        }

        @Override
        public String label() {
            return "predictive " + trim(threshold);
        }

        @Override
        public double parameter() {
            return threshold;
        }
    }

    /**
     * The expected-cost (ski-rental) rule: each VM hibernates after the quiet time that minimises, over its own
     * quiet gaps so far in the same context ({@link QuietHazard}), one per cold start plus {@code idleHourCost}
     * per idle awake hour; wakes on demand only.
     */
    record ExpectedCost(double idleHourCost) implements Policy {
        public ExpectedCost {
            if (!(idleHourCost > 0) || !Double.isFinite(idleHourCost)) {
                throw new SimulationException("expected-cost idle hour cost must be positive, got " + idleHourCost);
            }
        }

        @Override
        public Family family() {
            return Family.EXPECTED_COST;
        }

        @Override
        public String label() {
            return "expected-cost " + trim(idleHourCost);
        }

        @Override
        public double parameter() {
            return idleHourCost;
        }
    }

    /**
     * Perfect foresight, the bound: awake exactly for the steps with demand, except that a quiet gap
     * shorter than {@code minGap} is slept through awake (fewer transitions).
     */
    record Oracle(Duration minGap) implements Policy {
        public Oracle {
            if (minGap.isNegative() || minGap.isZero()) {
                throw new SimulationException("oracle minimum gap must be positive, got " + minGap);
            }
        }

        @Override
        public Family family() {
            return Family.ORACLE;
        }

        @Override
        public String label() {
            return "oracle gap " + minutes(minGap);
        }

        @Override
        public double parameter() {
            return minGap.toMinutes();
        }
    }

    private static String minutes(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
