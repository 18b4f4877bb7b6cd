package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.Dormouse;
import io.dormouse.RunningServer;
import io.dormouse.state.NewVm;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** History import, series reads and forecasts through the CLI against a real server in process. */
class ForecastCliTest {

    private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private RunningServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        server = RunningServer.start(dir.resolve("data"));
        server.withState(store -> store.vms().insert(
                new NewVm("web-1", "running", "{}", "127.0.1.2", "127.0.2.2", 1, "standard")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = Cli.commandLine(new Dormouse());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dir.resolve("data").toString();
        all[args.length + 2] = "--api";
        all[args.length + 3] = server.api();
        return cl.execute(all);
    }

    /** Ten days of 5-minute demand with a daily cycle: busy by day, idle at night. */
    private Path dailyCsv() throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
        for (int i = 0; i < 10 * 288; i++) {
            Instant t = t0.plus(Duration.ofMinutes(5L * i));
            double hour = (i % 288) / 12.0;
            double value = hour >= 8 && hour < 18 ? 50 + 20 * Math.sin(Math.PI * (hour - 8) / 10) : 0;
            csv.append(CSV_TIME.format(t)).append(',').append(value).append('\n');
        }
        return Files.writeString(dir.resolve("daily.csv"), csv);
    }

    @Test
    void importedHistoryIsReadBackAtTheRequestedStep() throws IOException {
        assertThat(run("vm", "import-series", "web-1", "--metric", "connections", "--csv", dailyCsv().toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("imported 2880 samples of connections into web-1 (2880 new)");
        assertThat(run("vm", "import-series", "web-1", "--metric", "connections", "--csv", dailyCsv().toString())).isZero();
        assertThat(out.toString()).contains("(0 new)");

        assertThat(run("vm", "series", "web-1", "--metric", "connections", "--from", "2026-01-05T00:00:00Z",
                "--to", "2026-01-06T00:00:00Z", "--step", "1h")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("24 points, step 1h").contains("2026-01-05T12:00:00Z");
        assertThat(run("vm", "series", "web-1", "--metric", "connections", "--from", "2026-01-05T00:00:00Z",
                "--to", "2026-01-06T00:00:00Z", "--step", "6h", "--agg", "max")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("4 points, step 6h (max of 1h data)").contains("70.0");
        assertThat(run("vm", "series", "web-1", "--metric", "connections", "--from", "2026-01-05T00:00:00Z",
                "--to", "2026-01-05T01:00:00Z")).isZero();
        assertThat(out.toString()).contains("12 points, step raw");
    }

    @Test
    void malformedCsvNamesTheLineAndImportsNothing() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"),
                "timestamp,value\n2026-01-05 00:00:00,1\n2026-01-05 00:05:00,1\n2026-01-05 00:10:00,lots\n");
        assertThat(run("vm", "import-series", "web-1", "--metric", "connections", "--csv", bad.toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("line 4").contains("nothing was imported");
        assertThat(run("vm", "series", "web-1", "--metric", "connections", "--from", "2026-01-01T00:00:00Z",
                "--to", "2026-02-01T00:00:00Z")).isZero();
        assertThat(out.toString()).contains("0 points");
    }

    @Test
    void forecastShowsTheModelAndDrawsSvgAndPng() throws IOException {
        assertThat(run("vm", "import-series", "web-1", "--metric", "demand", "--csv", dailyCsv().toString())).isZero();
        assertThat(run("event", "add", "backup", "--cron", "0 2 * * *", "--duration", "1h", "--factor", "2", "--vm", "web-1"))
                .isZero();
        Path svg = dir.resolve("f.svg");
        assertThat(run("forecast", "web-1", "--horizon", "2h", "--plot", svg.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("web-1 demand: model").containsPattern("forecast +\\+24 ")
                .contains("chart written to");
        assertThat(Files.readString(svg)).startsWith("<svg").contains("<polyline").contains("<polygon");
        Path png = dir.resolve("f.png");
        assertThat(run("forecast", "web-1", "--plot", png.toString())).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(960);

        assertThat(run("forecast", "web-1", "--json")).isZero();
        assertThat(out.toString()).contains("\"levels\" : [ 0.5, 0.9, 0.99 ]").contains("\"events\"");
    }

    @Test
    void forecastWithoutHistorySaysHowToImportIt() {
        assertThat(run("forecast", "web-1")).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("no samples of metric demand").contains("import-series");
    }
}
