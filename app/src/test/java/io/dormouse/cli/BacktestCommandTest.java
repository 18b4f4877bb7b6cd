package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BacktestCommandTest {

    private static final String[] MODELS = {"naive-day", "naive-week", "naive-max", "holt-winters", "hybrid-histogram", "lstm", "selector"};

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new BacktestCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** Twelve days of a daily cycle at 5-minute steps, idle (zero) every night from midnight to 6:00. */
    private Path csv() throws IOException {
        Random random = new Random(3);
        StringBuilder b = new StringBuilder("timestamp,value\n");
        LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int i = 0; i < 12 * 288; i++) {
            double v = t.getHour() < 6 ? 0 : 50 + 30 * Math.sin(Math.PI * (t.getHour() - 6) / 18.0) + random.nextGaussian();
            b.append(f.format(t)).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", v)).append('\n');
            t = t.plus(Duration.ofMinutes(5));
        }
        Path file = dir.resolve("vm.csv");
        Files.writeString(file, b);
        return file;
    }

    @Test
    void printsEveryModelAsAnAlignedTable() throws IOException {
        int code = run("--csv", csv().toString(), "--idle-threshold", "1");

        assertThat(code).as(err.toString()).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).startsWith("3456 steps of 5m from 2024-01-01T00:00:00Z; horizon 2h, origins every 1h, trained on 70%; idle below 1.0000 for 30m within 2h");
        int header = 3;
        assertThat(lines[header]).startsWith("model").contains("scaled pinball", "MASE", "cov90", "cov99", "idle P", "idle R", "fit ms", "predict us");
        for (int m = 0; m < MODELS.length; m++) {
            assertThat(lines[header + 1 + m]).startsWith(MODELS[m] + " ").doesNotContain("failed");
            assertThat(lines[header + 1 + m]).as("aligned row").hasSameSizeAs(lines[header]);
        }
        int scaledColumnEnd = lines[header].indexOf("scaled pinball") + "scaled pinball".length();
        for (int m = 1; m <= MODELS.length; m++) {
            assertThat(lines[header + m].charAt(scaledColumnEnd - 1)).as("right-aligned column in " + lines[header + m]).isNotEqualTo(' ');
        }
        assertThat(lines[header + 2]).contains(" 1.000 ");
    }

    @Test
    void printsJsonWithNullForUndefinedFigures() throws IOException {
        int code = run("--csv", csv().toString(), "--json", "--horizon", "1h", "--idle-threshold", "1");

        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("horizon").asText()).isEqualTo("PT1H");
        assertThat(root.get("pinballScaledBy").asText()).isEqualTo("naive-week");
        assertThat(root.get("models")).hasSize(MODELS.length);
        for (int m = 0; m < MODELS.length; m++) {
            JsonNode model = root.get("models").get(m);
            assertThat(model.get("model").asText()).isEqualTo(MODELS[m]);
            assertThat(model.get("origins").asInt()).isGreaterThan(50);
            assertThat(model.get("coverage90").asDouble()).isBetween(0.0, 1.0);
            assertThat(model.get("pinball").get("0.9").isNumber()).isTrue();
        }
        assertThat(root.get("models").get(1).get("scaledPinball").asDouble()).isEqualTo(1.0);
        assertThat(root.get("models").get(3).get("idleRecall").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void reportsAMalformedRowWithItsLineNumber() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00;2\n");

        int code = run("--csv", bad.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("bad.csv: line 3: expected 2 fields timestamp,value, found 1");
    }

    @Test
    void requiresTheCsvAndReadsDurations() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--csv=FILE'");
        assertThat(run("--csv", "x.csv", "--horizon", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("duration 'soon' is not understood");
    }

    @Test
    void readsACalendarAndReportsItsErrorsByLine() throws IOException {
        Path csv = csv();
        Path events = dir.resolve("events.txt");
        Files.writeString(events, "# a campaign on the last day\ncampaign from 2024-01-12 until 2024-01-13 factor 1.5\n");
        assertThat(run("--csv", csv.toString(), "--calendar", events.toString(), "--idle-threshold", "1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("holt-winters").doesNotContain("failed");

        Files.writeString(events, "campaign from 2024-01-12 until 2024-01-13 factor 1.5\nbackup cron 0 2 * * for 1h factor 2\n");
        assertThat(run("--csv", csv.toString(), "--calendar", events.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("calendar line 2: expected '<name> cron <5 fields>");
    }
}
