package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.Dormouse;
import io.dormouse.RunningServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line against a real server in process. */
class CliTest {

    @TempDir
    Path dir;

    private RunningServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        server = RunningServer.start(dir.resolve("data"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new Dormouse());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String api() {
        return server.api();
    }

    @Test
    void versionReportsClientAndServer() {
        int code = run("version", "--data-dir", dir.resolve("data").toString(), "--api", api());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("client  0.1.0").contains("server  0.1.0").contains(api());
    }

    @Test
    void versionAsJson() {
        assertThat(run("version", "--json", "--data-dir", dir.resolve("data").toString(), "--api", api())).isZero();
        assertThat(out.toString()).contains("\"client\"").contains("\"server\"").contains("\"java\"");
    }

    @Test
    void wrongTokenExitsWithTheServersMessage() throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("api-token"), "not-the-token\n");
        int code = run("version", "--data-dir", other.toString(), "--api", api());
        assertThat(code).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("401").contains("wrong bearer token").contains("[unauthorized]");
    }

    @Test
    void unreachableServerHasItsOwnExitCode() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int code = run("version", "--data-dir", dir.resolve("data").toString(), "--api", "http://127.0.0.1:" + port);
        assertThat(code).isEqualTo(Cli.UNREACHABLE);
        assertThat(err.toString()).contains("cannot reach dormouse at http://127.0.0.1:" + port);
    }

    @Test
    void invalidConfigurationExitsWithItsCodeAndNamesTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "api:\n  listen: 127.0.0.1:70000\n");
        int code = run("config", "show", "--config", file.toString());
        assertThat(code).isEqualTo(Cli.BAD_CONFIG);
        assertThat(err.toString()).contains("api.listen").contains("70000");
    }

    @Test
    void configShowPrintsEffectiveYaml() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.yaml"), "dns:\n  zone: fleet.example\napi:\n  token: t0p\n");
        assertThat(run("config", "show", "--config", file.toString())).isZero();
        assertThat(out.toString()).contains("zone: fleet.example.").contains("token: '****'").doesNotContain("t0p");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("no-such-command")).isEqualTo(Cli.USAGE);
        assertThat(run("vm")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("missing subcommand").contains("list");
    }

    @Test
    void completionScriptNamesTheCommands() {
        assertThat(run("completion")).isZero();
        assertThat(out.toString()).contains("complete").contains("serve").contains("version");
    }

    @Test
    void listsHostsAsATableAndVmsAsJson() {
        String data = dir.resolve("data").toString();
        assertThat(run("host", "list", "--data-dir", data, "--api", api())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("NAME").contains("VCPUS").contains("MEMORY MIB");
        out.getBuffer().setLength(0);
        assertThat(run("vm", "list", "--json", "--data-dir", data, "--api", api())).isZero();
        assertThat(out.toString().strip()).isEqualTo("[ ]");
    }

    @Test
    void unknownVmIsAServerErrorNamingIt() {
        int code = run("vm", "show", "ghost", "--data-dir", dir.resolve("data").toString(), "--api", api());
        assertThat(code).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("404").contains("no VM named ghost").contains("[not-found]");
    }

    @Test
    void calendarEventsAreAddedListedAndRemoved() {
        String data = dir.resolve("data").toString();
        assertThat(run("event", "add", "backup", "--cron", "0 2 * * *", "--duration", "1h", "--factor", "3",
                "--data-dir", data, "--api", api())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("added event 1 (backup)");
        assertThat(run("event", "add", "sale", "--start", "2026-11-27T00:00:00Z", "--end", "2026-11-30T00:00:00Z",
                "--factor", "2.5", "--data-dir", data, "--api", api())).as(err.toString()).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("event", "list", "--data-dir", data, "--api", api())).isZero();
        assertThat(out.toString()).contains("backup").contains("recurring").contains("0 2 * * *")
                .contains("sale").contains("one-off").contains("2026-11-30T00:00:00Z");
        assertThat(run("event", "remove", "1", "--data-dir", data, "--api", api())).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("event", "list", "--data-dir", data, "--api", api())).isZero();
        assertThat(out.toString()).doesNotContain("backup").contains("sale");
        assertThat(run("event", "remove", "1", "--data-dir", data, "--api", api())).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("no calendar event with id 1");
    }

    @Test
    void badEventsAreRefusedWithTheReason() {
        String data = dir.resolve("data").toString();
        assertThat(run("event", "add", "bad", "--cron", "61 * * * *", "--duration", "1h", "--factor", "2",
                "--data-dir", data, "--api", api())).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("400").contains("61");
        assertThat(run("event", "add", "late", "--start", "2026-11-30T00:00:00Z", "--end", "2026-11-27T00:00:00Z",
                "--factor", "2", "--data-dir", data, "--api", api())).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("must be after start");
        assertThat(run("event", "add", "both", "--cron", "0 2 * * *", "--start", "2026-11-30T00:00:00Z",
                "--factor", "2", "--data-dir", data, "--api", api())).isEqualTo(Cli.USAGE);
        assertThat(run("event", "add", "ghost-vm", "--cron", "0 2 * * *", "--duration", "1h", "--factor", "2",
                "--vm", "nope", "--data-dir", data, "--api", api())).isEqualTo(Cli.SERVER_ERROR);
        assertThat(err.toString()).contains("no VM named nope");
    }
}
