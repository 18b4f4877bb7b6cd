package io.dormouse.cli;

import io.dormouse.sim.Pareto;
import io.dormouse.sim.PolicyResult;
import io.dormouse.sim.SimulationReport;
import io.dormouse.sim.Timings;
import io.dormouse.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The simulation's report as tables for people: the reported points, the comparison at equal idle hours, the timings. */
final class SimulationTables {

    private SimulationTables() {
    }

    static String format(SimulationReport r) {
        StringBuilder b = new StringBuilder();
        double days = r.scoredSteps() / (double) Trace.STEPS_PER_DAY;
        b.append(String.format(Locale.ROOT, "%d VMs from %d traces; %d steps of 5m learned from, %d scored (%.1f days)%n%n",
                r.vms(), r.traces(), r.historySteps(), r.scoredSteps(), days));
        List<String[]> rows = new ArrayList<>();
        rows.add(header());
        r.results().stream().filter(PolicyResult::reported).forEach(p -> rows.add(row(p)));
        b.append(Output.format(rows));
        b.append("\ncold-start rate on each policy's Pareto curve at the idle awake hours of a fixed timeout\n\n");
        List<String[]> cmp = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("at", "idle awake VM-h"));
        r.curves().forEach(c -> head.add(c.family().cliName()));
        cmp.add(head.toArray(String[]::new));
        for (SimulationReport.Comparison c : r.comparisons()) {
            List<String> line = new ArrayList<>(List.of(c.at(), SimulateCommand.fmt(c.idleAwakeVmHours(), 0)));
            c.coldStartRates().forEach(v -> line.add(percent(v)));
            cmp.add(line.toArray(String[]::new));
        }
        b.append(Output.format(cmp));
        Timings t = r.timings();
        b.append(String.format(Locale.ROOT, "%ntime: loading %.0f ms; on %d threads %.1f s wall; CPU: building %.1f s, "
                + "tuning %.1f s, fitting %.1f s, deciding %.1f s, accounting %.1f s%n", t.loadingMs(), t.threads(),
                t.wallMs() / 1000, t.buildingMs() / 1000, t.tuningMs() / 1000, t.fittingMs() / 1000, t.decidingMs() / 1000,
                t.accountingMs() / 1000));
        return b.toString();
    }

    static String[] header() {
        return new String[] {"policy", "cold starts", "added p50 ms", "added p99 ms", "awake VM-h", "idle awake VM-h",
            "transitions/VM-day", "lead p50 min"};
    }

    static String[] row(PolicyResult p) {
        return new String[] {p.policy(), percent(p.coldStartRate()), SimulateCommand.fmt(p.addedLatencyP50Ms(), 0),
            SimulateCommand.fmt(p.addedLatencyP99Ms(), 0), SimulateCommand.fmt(p.awakeVmHours(), 0),
            SimulateCommand.fmt(p.idleAwakeVmHours(), 0), SimulateCommand.fmt(p.transitionsPerVmDay(), 2),
            SimulateCommand.fmt(p.leadP50Minutes(), 0)};
    }

    static String percent(double rate) {
        return Double.isFinite(rate) ? String.format(Locale.ROOT, "%.2f%%", rate * 100) : "n/a";
    }

    /** The frontier points of every curve, for pareto.csv. */
    static List<PolicyResult> frontier(SimulationReport r) {
        return r.curves().stream().map(Pareto::frontier).flatMap(List::stream).toList();
    }
}
