package io.dormouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.forecast.DurationText;
import io.dormouse.sim.Family;
import io.dormouse.sim.Pareto;
import io.dormouse.sim.PolicyResult;
import io.dormouse.sim.Simulation;
import io.dormouse.sim.SimulationException;
import io.dormouse.sim.SimulationReport;
import io.dormouse.sim.SimulationSettings;
import io.dormouse.sim.Trace;
import io.dormouse.sim.Traces;
import io.dormouse.sim.WakeLatency;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate}: replays demand traces on a simulated fleet through every policy, in process (no
 * server), and prints the comparison; {@code --out} also writes the figures as CSV and the Pareto plot.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replays demand traces on a simulated fleet and compares hibernation policies.")
public final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--traces", required = true, split = ",", arity = "1..*", paramLabel = "DIR_OR_FILE",
            description = "timestamp,value CSV files, or directories of them.")
    List<Path> traces;

    @Option(names = "--vms", defaultValue = "1000", description = "VMs in the simulated fleet (default: ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--policy", split = ",", paramLabel = "POLICY",
            description = "Policies to compare (default: all): always-on, idle-timeout, tuned-timeout, hybrid-histogram, predictive, expected-cost, oracle.")
    List<String> policies;

    @Option(names = "--history", defaultValue = "7d", description = "Leading part of each trace learned from, not scored (default: ${DEFAULT-VALUE}).")
    String history;

    @Option(names = "--span", defaultValue = "14d", description = "Part of each trace replayed, history included (default: ${DEFAULT-VALUE}).")
    String span;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fleet's shifts, scales and latency draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: the available processors).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write results.csv, pareto.csv, pareto.svg and pareto.png here.")
    Path out;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            SimulationSettings settings = settings();
            long loadStart = System.nanoTime();
            List<Trace> loaded = Traces.load(traces);
            double loading = (System.nanoTime() - loadStart) / 1e6;
            SimulationReport report = Simulation.of(settings).run(loaded).withLoading(loading);
            if (out != null) {
                SimulationFiles.write(out, report);
            }
            if (json) {
                Output.json(stdout, json(report));
            } else {
                stdout.print(SimulationTables.format(report));
                stdout.flush();
            }
            return 0;
        } catch (SimulationException | CliException e) {
            spec.commandLine().getErr().println("simulate: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Cli.USAGE;
        }
    }

    private SimulationSettings settings() {
        if (vms < 1) {
            throw new CliException(Cli.USAGE, "--vms must be at least 1, got " + vms);
        }
        for (Path p : traces) {
            if (!Files.exists(p)) {
                throw new CliException(Cli.USAGE, "--traces " + p + ": no such file or directory");
            }
        }
        List<Family> families = new ArrayList<>();
        if (policies == null || policies.isEmpty()) {
            families.addAll(List.of(Family.values()));
        } else {
            for (String p : policies) {
                try {
                    families.add(Family.named(p));
                } catch (SimulationException e) {
                    throw new CliException(Cli.USAGE, "--policy " + p + ": unknown; choose from " + Family.names());
                }
            }
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new CliException(Cli.USAGE, "--threads must be at least 1, got " + workers);
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException(Cli.USAGE, "--out " + out + ": exists and is not a directory");
        }
        try {
            return new SimulationSettings(vms, duration("--history", history), duration("--span", span), seed, workers,
                    families, WakeLatency.measuredQemu());
        } catch (SimulationException e) {
            throw new CliException(Cli.USAGE, e.getMessage());
        }
    }

    private static Duration duration(String flag, String text) {
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            throw new CliException(Cli.USAGE, flag + " " + text + ": " + e.getMessage());
        }
    }

    private static ObjectNode json(SimulationReport r) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("vms", r.vms());
        root.put("traces", r.traces());
        root.put("step", Trace.STEP.toString());
        root.put("historySteps", r.historySteps());
        root.put("scoredSteps", r.scoredSteps());
        root.put("seed", r.seed());
        ArrayNode results = root.putArray("results");
        for (PolicyResult p : r.results()) {
            ObjectNode row = mapper.valueToTree(p);
            row.put("family", p.family().cliName());
            row.properties().forEach(e -> {
                if (e.getValue().isDouble() && !Double.isFinite(e.getValue().doubleValue())) {
                    e.setValue(mapper.nullNode());
                }
            });
            results.add(row);
        }
        ArrayNode curves = root.putArray("pareto");
        for (Pareto c : r.curves()) {
            ObjectNode curve = curves.addObject();
            curve.put("family", c.family().cliName());
            ArrayNode points = curve.putArray("points");
            c.frontier().forEach(p -> points.addObject().put("policy", p.policy())
                    .put("idleAwakeVmHours", p.idleAwakeVmHours()).put("coldStartRate", p.coldStartRate()));
        }
        ArrayNode comparisons = root.putArray("atEqualIdleHours");
        for (SimulationReport.Comparison c : r.comparisons()) {
            ObjectNode row = comparisons.addObject();
            row.put("at", c.at());
            row.put("idleAwakeVmHours", c.idleAwakeVmHours());
            ObjectNode rates = row.putObject("coldStartRate");
            for (int i = 0; i < r.curves().size(); i++) {
                double v = c.coldStartRates().get(i);
                if (Double.isFinite(v)) {
                    rates.put(r.curves().get(i).family().cliName(), v);
                } else {
                    rates.putNull(r.curves().get(i).family().cliName());
                }
            }
        }
        root.set("timings", mapper.valueToTree(r.timings()));
        return root;
    }

    static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }
}
