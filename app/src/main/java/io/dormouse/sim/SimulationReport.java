package io.dormouse.sim;

import java.util.ArrayList;
import java.util.List;

/** A run's outcome: every policy point, each family's Pareto curve, comparisons at equal idle hours, timings. */
public record SimulationReport(int vms, int traces, int historySteps, int scoredSteps, long seed,
        List<PolicyResult> results, List<Pareto> curves, List<Comparison> comparisons, Timings timings) {

    /**
     * Cold-start rates of every family's curve at the idle awake hours of one baseline point (a fixed
     * idle timeout), in the order of {@link #curves()}; NaN where a curve does not reach that many hours.
     */
    public record Comparison(String at, double idleAwakeVmHours, List<Double> coldStartRates) {
    }

    static SimulationReport of(int vms, int traces, int historySteps, int scoredSteps, long seed,
            List<PolicyResult> results, Timings timings) {
        List<Pareto> curves = new ArrayList<>();
        for (Family f : Family.values()) {
            if (results.stream().anyMatch(r -> r.family() == f)) {
                curves.add(Pareto.of(f, results));
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (PolicyResult r : results) {
            if (r.reported() && r.family() == Family.IDLE_TIMEOUT) {
                comparisons.add(new Comparison(r.policy(), r.idleAwakeVmHours(),
                        curves.stream().map(c -> c.coldStartRateAt(r.idleAwakeVmHours())).toList()));
            }
        }
        return new SimulationReport(vms, traces, historySteps, scoredSteps, seed, List.copyOf(results),
                List.copyOf(curves), List.copyOf(comparisons), timings);
    }

    /** This report with the time spent loading the traces, which happens before a run. */
    public SimulationReport withLoading(double loadingMs) {
        return new SimulationReport(vms, traces, historySteps, scoredSteps, seed, results, curves, comparisons,
                timings.withLoading(loadingMs));
    }

    /** The result of the point labelled {@code policy}. */
    public PolicyResult result(String policy) {
        return results.stream().filter(r -> r.policy().equals(policy)).findFirst()
                .orElseThrow(() -> new SimulationException("no result for policy " + policy));
    }

    public Pareto curve(Family family) {
        return curves.stream().filter(c -> c.family() == family).findFirst()
                .orElseThrow(() -> new SimulationException("no curve for policy " + family.cliName()));
    }
}
