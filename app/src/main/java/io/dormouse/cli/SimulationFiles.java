package io.dormouse.cli;

import io.dormouse.sim.PolicyResult;
import io.dormouse.sim.SimulationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a simulation's figures for other tools: every point as CSV, the Pareto frontiers as CSV, SVG and PNG. */
final class SimulationFiles {

    private static final String HEADER = "policy,family,parameter,reported,demand_steps,cold_starts,cold_start_rate,"
            + "added_latency_p50_ms,added_latency_p99_ms,cold_latency_p50_ms,awake_vm_hours,idle_awake_vm_hours,"
            + "transitions_per_vm_day,proactive_wakes,wasted_wakes,lead_p50_minutes\n";

    private SimulationFiles() {
    }

    static void write(Path dir, SimulationReport report) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), csv(report.results()));
        Files.writeString(dir.resolve("pareto.csv"), csv(SimulationTables.frontier(report)));
        ParetoChart chart = new ParetoChart(report);
        chart.write(dir.resolve("pareto.svg"));
        chart.write(dir.resolve("pareto.png"));
    }

    static String csv(List<PolicyResult> rows) {
        StringBuilder b = new StringBuilder(HEADER);
        for (PolicyResult p : rows) {
            b.append(String.join(",", p.policy(), p.family().cliName(), num(p.parameter()), Boolean.toString(p.reported()),
                    Long.toString(p.demandSteps()), Long.toString(p.coldStarts()), num(p.coldStartRate()),
                    num(p.addedLatencyP50Ms()), num(p.addedLatencyP99Ms()), num(p.coldLatencyP50Ms()),
                    num(p.awakeVmHours()), num(p.idleAwakeVmHours()), num(p.transitionsPerVmDay()),
                    Long.toString(p.proactiveWakes()), Long.toString(p.wastedWakes()), num(p.leadP50Minutes()))).append('\n');
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
