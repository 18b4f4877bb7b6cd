package io.dormouse.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A family's Pareto curve of cold-start rate against idle awake hours: its sweep's points that no
 * other point beats on both, joined by straight lines, so that families can be compared at equal
 * idle awake hours.
 */
public record Pareto(Family family, List<PolicyResult> frontier) {

    public static Pareto of(Family family, List<PolicyResult> points) {
        List<PolicyResult> sorted = new ArrayList<>(points.stream().filter(p -> p.family() == family).toList());
        sorted.sort(Comparator.comparingDouble(PolicyResult::idleAwakeVmHours).thenComparingDouble(PolicyResult::coldStartRate));
        List<PolicyResult> frontier = new ArrayList<>();
        for (PolicyResult p : sorted) {
            if (frontier.isEmpty() || p.coldStartRate() < frontier.getLast().coldStartRate()) {
                frontier.add(p);
            }
        }
        return new Pareto(family, List.copyOf(frontier));
    }

    /** The cold-start rate at {@code idleHours} on the curve; NaN outside the range its points span. */
    public double coldStartRateAt(double idleHours) {
        if (frontier.isEmpty()) {
            return Double.NaN;
        }
        if (frontier.size() == 1) {
            return Math.abs(frontier.getFirst().idleAwakeVmHours() - idleHours) <= 1e-9 * Math.max(1, idleHours)
                    ? frontier.getFirst().coldStartRate() : Double.NaN;
        }
        for (int i = 1; i < frontier.size(); i++) {
            PolicyResult a = frontier.get(i - 1);
            PolicyResult b = frontier.get(i);
            if (idleHours >= a.idleAwakeVmHours() && idleHours <= b.idleAwakeVmHours()) {
                double span = b.idleAwakeVmHours() - a.idleAwakeVmHours();
                double share = span == 0 ? 0 : (idleHours - a.idleAwakeVmHours()) / span;
                return a.coldStartRate() + share * (b.coldStartRate() - a.coldStartRate());
            }
        }
        return Double.NaN;
    }
}
