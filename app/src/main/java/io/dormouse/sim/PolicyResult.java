package io.dormouse.sim;

/**
 * One policy point's figures over the scored part of every VM. A cold start is a step whose first
 * request found the VM hibernated, hibernating or still restoring; added latency is over the first
 * request of every step with demand (zero when the VM was up); lead time is from a forecast wake to
 * the first request it served.
 */
public record PolicyResult(String policy, Family family, double parameter, boolean reported,
        long demandSteps, long coldStarts, double coldStartRate, double addedLatencyP50Ms, double addedLatencyP99Ms,
        double coldLatencyP50Ms, double awakeVmHours, double idleAwakeVmHours, double transitionsPerVmDay,
        long proactiveWakes, long wastedWakes, double leadP50Minutes) {

    static PolicyResult of(Policy policy, boolean reported, Tally t) {
        double hours = 3_600_000.0;
        double vmDays = t.scoredSteps / (double) Trace.STEPS_PER_DAY;
        long[] cold = t.latency.clone();
        cold[0] = 0;
        return new PolicyResult(policy.label(), policy.family(), policy.parameter(), reported,
                t.demandSteps, t.coldStarts, t.demandSteps == 0 ? 0 : (double) t.coldStarts / t.demandSteps,
                Tally.quantile(t.latency, 0.5), Tally.quantile(t.latency, 0.99), Tally.quantile(cold, 0.5),
                t.awakeMs / hours, t.idleAwakeMs / hours, vmDays == 0 ? 0 : (t.wakes + t.hibernations) / vmDays,
                t.proactiveWakes, t.wastedWakes, Tally.quantile(t.lead, 0.5));
    }
}
