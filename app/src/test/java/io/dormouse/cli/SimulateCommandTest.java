package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new SimulateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** Fifteen days at 5-minute steps: a busy hour every morning and rare random bursts, else idle. */
    private Path traces() throws IOException {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        Random random = new Random(5);
        StringBuilder b = new StringBuilder("timestamp,value\n");
        LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int i = 0; i < 15 * 288; i++) {
            boolean busy = t.getHour() == 9 || random.nextDouble() < 0.02;
            b.append(f.format(t)).append(',').append(String.format(Locale.ROOT, "%.2f", busy ? 40 + random.nextDouble() * 60 : random.nextDouble()))
                    .append('\n');
            t = t.plusMinutes(5);
        }
        Files.writeString(traces.resolve("vm.csv"), b);
        return traces;
    }

    @Test
    void printsTheReportedPointsTheComparisonAndWhereTheTimeWent() throws IOException {
        int code = run("--traces", traces().toString(), "--vms", "4", "--threads", "1");

        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).startsWith("4 VMs from 1 traces; 2016 steps of 5m learned from, 2016 scored (7.0 days)");
        for (String row : new String[] {"always-on", "idle-timeout 10m", "idle-timeout 20m", "idle-timeout 1h",
            "tuned-timeout 1", "hybrid-histogram x1", "predictive 0.05", "expected-cost 1", "oracle gap 5m"}) {
            assertThat(text).contains("\n" + row + " ");
        }
        assertThat(text).contains("cold-start rate on each policy's Pareto curve").contains("time: loading");
    }

    @Test
    void writesJsonAndTheCsvAndPlotFiles() throws IOException {
        Path outDir = dir.resolve("out");
        int code = run("--traces", traces().toString(), "--vms", "3", "--policy", "idle-timeout,oracle", "--json",
                "--out", outDir.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("vms").asInt()).isEqualTo(3);
        assertThat(root.get("results")).hasSize(11 + 5);
        assertThat(root.get("results").get(0).get("family").asText()).isEqualTo("idle-timeout");
        assertThat(root.get("atEqualIdleHours")).hasSize(3);
        assertThat(root.get("timings").get("threads").asInt()).isPositive();
        assertThat(Files.readAllLines(outDir.resolve("results.csv"))).hasSize(1 + 16).first().asString().startsWith("policy,family,parameter");
        assertThat(Files.readString(outDir.resolve("pareto.csv"))).contains("idle-timeout 10m,idle-timeout");
        assertThat(Files.readString(outDir.resolve("pareto.svg"))).startsWith("<svg").contains("<polyline").contains("oracle");
        byte[] png = Files.readAllBytes(outDir.resolve("pareto.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void aMissingTraceDirectoryIsNamedWithItsFlag() {
        int code = run("--traces", dir.resolve("no-such-dir").toString());

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--traces").contains("no-such-dir").contains("no such file or directory");
    }

    @Test
    void aFleetOfNoVmsIsRefusedNamingTheFlag() throws IOException {
        int code = run("--traces", traces().toString(), "--vms", "0");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--vms must be at least 1, got 0");
    }

    @Test
    void aNonNumericVmCountIsAUsageError() throws IOException {
        int code = run("--traces", traces().toString(), "--vms", "many");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--vms").contains("many");
    }

    @Test
    void anUnknownPolicyIsNamedWithTheChoices() throws IOException {
        int code = run("--traces", traces().toString(), "--policy", "idle-timeout,sometimes");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--policy sometimes: unknown; choose from always-on, idle-timeout, tuned-timeout, hybrid-histogram, predictive, expected-cost, oracle");
    }

    @Test
    void aSpanNoLongerThanTheHistoryIsRefused() throws IOException {
        int code = run("--traces", traces().toString(), "--history", "7d", "--span", "7d");

        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("span").contains("history").contains("nothing would be scored");
    }
}
