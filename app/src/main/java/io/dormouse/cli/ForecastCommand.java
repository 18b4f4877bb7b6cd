package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dormouse forecast NAME}: a VM's demand ahead, against its history; {@code forecast backtest} compares models. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Shows a VM's demand forecast against its history, by the model with the best recent backtest.",
                "  dormouse forecast web-1 --horizon 2h --plot web-1.svg"},
        subcommands = BacktestCommand.class)
final class ForecastCommand implements Runnable {

    /** Width of the bar column of the terminal chart. */
    private static final int BAR = 40;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "The VM's name.")
    String name;

    @Option(names = "--metric", defaultValue = "demand", paramLabel = "METRIC", description = "Metric (default ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--horizon", defaultValue = "2h", paramLabel = "DURATION", description = "How far ahead (default ${DEFAULT-VALUE}).")
    String horizon;

    @Option(names = "--history", defaultValue = "14d", paramLabel = "DURATION",
            description = "How much history to fit on (default ${DEFAULT-VALUE}).")
    String history;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the chart into FILE (.svg or .png).")
    Path plot;

    @Override
    public void run() {
        if (name == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a VM NAME, or the subcommand backtest");
        }
        JsonNode forecast = client.client(Cli.root(spec)).get(VmCommand.path(name) + "/forecast?metric=" + metric
                + "&horizon=" + horizon + "&history=" + history);
        PrintWriter out = spec.commandLine().getOut();
        if (plot != null) {
            try {
                new ForecastChart(forecast).write(plot);
            } catch (IOException e) {
                throw new CliException(Cli.INTERNAL, "cannot write " + plot + ": " + e.getMessage());
            }
        }
        if (client.json) {
            Output.json(out, forecast);
            return;
        }
        print(out, forecast);
        if (plot != null) {
            out.println("chart written to " + plot);
        }
        out.flush();
    }

    /** The recent history and the forecast as rows with a bar for the median and a mark for the 0.9 quantile. */
    private static void print(PrintWriter out, JsonNode f) {
        out.printf("%s %s: model %s (scaled pinball loss vs seasonal naive, lower is better:", f.path("vm").asText(),
                f.path("metric").asText(), f.path("model").asText());
        f.path("scores").forEach(s -> out.printf(Locale.ROOT, " %s %.3f", s.path("model").asText(), s.path("scaledPinball").asDouble()));
        out.println(")");
        JsonNode future = f.path("forecast");
        JsonNode median = future.path("values").get(0);
        int steps = median.size();
        JsonNode past = f.path("history").path("values").get(0);
        double max = 1e-9;
        for (JsonNode v : future.path("values").get(1)) {
            max = Math.max(max, v.asDouble());
        }
        for (int i = Math.max(0, past.size() - steps); i < past.size(); i++) {
            max = Math.max(max, past.get(i).asDouble());
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "STEP", "P50", "P90", "P99", ""});
        for (int i = Math.max(0, past.size() - steps); i < past.size(); i++) {
            double v = past.get(i).isNull() ? Double.NaN : past.get(i).asDouble();
            rows.add(new String[] {"history", String.valueOf(i - past.size()), number(v), "", "", bar(v, Double.NaN, max)});
        }
        for (int t = 0; t < steps; t++) {
            double p50 = future.path("values").get(0).get(t).asDouble();
            double p90 = future.path("values").get(1).get(t).asDouble();
            double p99 = future.path("values").get(2).get(t).asDouble();
            rows.add(new String[] {"forecast", "+" + (t + 1), number(p50), number(p90), number(p99), bar(p50, p90, max)});
        }
        Output.table(out, rows);
        out.printf("steps of %s from %s; events in the window: %d%n", future.path("step").asText(),
                future.path("start").asText(), f.path("events").size());
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String bar(double value, double upper, double max) {
        int n = Double.isNaN(value) ? 0 : (int) Math.round(BAR * Math.min(1, value / max));
        StringBuilder sb = new StringBuilder("#".repeat(n));
        if (!Double.isNaN(upper)) {
            int u = (int) Math.round(BAR * Math.min(1, upper / max));
            while (sb.length() < u) {
                sb.append(sb.length() == u - 1 ? '|' : ' ');
            }
        }
        return sb.toString();
    }
}
