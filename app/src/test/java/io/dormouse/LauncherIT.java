package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./dormouse} launcher as a user runs it: a real server process and real client processes. */
class LauncherIT {

    @TempDir
    Path dir;

    private ServerProcess server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        server = ServerProcess.start(dir, Map.of(), Duration.ofSeconds(60));
        port = server.apiPort();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.process().destroy();
        assertThat(server.process().waitFor(20, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
    }

    private record Run(int code, String out) {
    }

    private Run dormouse(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                Stream.concat(Stream.of(ServerProcess.LAUNCHER.toString()), Arrays.stream(args)).toList())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void servesWithoutConfigurationCreatingDataDirectoryAndToken() throws Exception {
        Path data = dir.resolve("dormouse-data");
        assertThat(data.resolve("api-token")).isRegularFile();
        assertThat(server.log()).contains("dormouse ready").contains("level=INFO");

        Run version = dormouse(Map.of("DORMOUSE_API", "http://127.0.0.1:" + port), "version");
        assertThat(version.code()).as(version.out()).isZero();
        assertThat(version.out()).contains("client  " + Version.current()).contains("server  " + Version.current());
    }

    @Test
    void wrongTokenFailsWithTheServersMessage() throws Exception {
        Run run = dormouse(Map.of("DORMOUSE_API", "http://127.0.0.1:" + port, "DORMOUSE_TOKEN", "wrong"), "version");
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.out()).contains("401").contains("wrong bearer token");
    }

    @Test
    void malformedConfigurationStopsStartUpNamingTheKey() throws Exception {
        for (var bad : List.of(
                List.of("api:\n  listen: 127.0.0.1:70000\n", "api.listen"),
                List.of("dns:\n  zone: ok.test\n  colour: blue\n", "dns.colour"),
                List.of("database:\n  busy-timeout: [1]\n", "database.busy-timeout"))) {
            Path file = Files.writeString(dir.resolve("bad.yaml"), bad.get(0));
            Run run = dormouse(Map.of(), "serve", "--config", file.toString());
            assertThat(run.code()).as(run.out()).isEqualTo(5);
            assertThat(run.out()).contains("configuration key '" + bad.get(1) + "'");
        }
    }
}
