package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.forecast.ForecastException;
import io.dormouse.forecast.Sample;
import io.dormouse.forecast.SampleCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dormouse vm series} and {@code dormouse vm import-series}: a VM's demand history. */
final class SeriesCommands {

    private SeriesCommands() {
    }

    /** What every series command names: the server, the VM and the metric. */
    abstract static class OfOneSeries implements Runnable {

        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "The VM's name.")
        String name;

        @Option(names = "--metric", required = true, paramLabel = "METRIC", description = "Metric name, e.g. connections.")
        String metric;
    }

    @Command(name = "import-series", mixinStandardHelpOptions = true,
            description = {"Imports a demand history from CSV (timestamp,value) so forecasts can start from it.",
                    "Malformed rows are reported with their line number and nothing is imported."})
    static final class Import extends OfOneSeries {

        @Option(names = "--csv", required = true, paramLabel = "FILE",
                description = "CSV with a header timestamp,value; times as YYYY-MM-DD HH:MM:SS (UTC) or RFC 3339.")
        Path csv;

        @Override
        public void run() {
            List<Sample> samples;
            try (Reader reader = Files.newBufferedReader(csv)) {
                samples = SampleCsv.parse(reader);
            } catch (NoSuchFileException e) {
                throw new CliException(Cli.USAGE, "no such file: " + csv);
            } catch (IOException e) {
                throw new CliException(Cli.USAGE, "cannot read " + csv + ": " + e.getMessage());
            } catch (ForecastException e) {
                throw new CliException(Cli.USAGE, csv + ": " + e.getMessage() + "; nothing was imported");
            }
            List<Object[]> rows = new ArrayList<>(samples.size());
            samples.forEach(s -> rows.add(new Object[] {s.time().toEpochMilli(), s.value()}));
            JsonNode result = client.client(Cli.root(spec))
                    .post(VmCommand.path(name) + "/series/" + metric, Map.of("samples", rows));
            PrintWriter out = spec.commandLine().getOut();
            if (client.json) {
                Output.json(out, result);
                return;
            }
            out.printf("imported %d samples of %s into %s (%d new)%n", result.path("received").asInt(), metric, name,
                    result.path("added").asInt());
            out.flush();
        }
    }

    @Command(name = "series", mixinStandardHelpOptions = true, description = {"Prints a VM's sampled and imported series.",
            "Sampled metrics: demand, connections, dns_queries, bytes_in, bytes_out, cpu, rss_bytes, balloon_bytes."})
    static final class Show extends OfOneSeries {

        @Option(names = "--from", paramLabel = "TIME", description = "RFC 3339 start (default: 7 days before --to).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "RFC 3339 end, exclusive (default: now).")
        String to;

        @Option(names = "--step", paramLabel = "DURATION", description = "Aggregate into steps of this length, e.g. 1h.")
        String step;

        @Option(names = "--agg", paramLabel = "AGG", description = "With --step: mean (default), max or sum per step.")
        String agg;

        @Override
        public void run() {
            StringBuilder path = new StringBuilder(VmCommand.path(name)).append("/series?metric=")
                    .append(URLEncoder.encode(metric, StandardCharsets.UTF_8));
            Map<String, String> optional = new LinkedHashMap<>();
            optional.put("from", from);
            optional.put("to", to);
            optional.put("step", step);
            optional.put("agg", agg);
            optional.forEach((key, value) -> {
                if (value != null) {
                    // an RFC 3339 offset such as +02:00 must not turn into a space
                    path.append('&').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            });
            JsonNode series = client.client(Cli.root(spec)).get(path.toString());
            PrintWriter out = spec.commandLine().getOut();
            if (client.json) {
                Output.json(out, series);
                return;
            }
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"TIME", metric.toUpperCase()});
            series.path("points").forEach(p -> lines.add(new String[] {p.get(0).asText(), p.get(1).asText()}));
            Output.table(out, lines);
            out.printf("%d points, step %s%s%n", lines.size() - 1, series.path("step").asText(),
                    series.hasNonNull("aggregate") ? " (" + series.path("aggregate").asText() + " of "
                            + series.path("resolution").asText() + " data)" : "");
            out.flush();
        }
    }
}
