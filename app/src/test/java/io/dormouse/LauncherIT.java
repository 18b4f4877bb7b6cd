package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./dormouse} launcher as a user runs it: a real server process and real client processes. */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "dormouse").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int dnsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            dnsPort = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "serve", "--api-listen", "127.0.0.1:" + port)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.log").toFile());
        pb.environment().put("DORMOUSE_DNS_LISTEN", "127.0.0.1:" + dnsPort);
        server = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(server.isAlive()).as("server exited early: %s", log()).isTrue();
            assertThat(System.nanoTime()).as("server not ready in 60 s: %s", log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        server.destroy();
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("serve.log"));
    }

    private record Run(int code, String out) {
    }

    private Run dormouse(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                java.util.stream.Stream.concat(java.util.stream.Stream.of(LAUNCHER.toString()), java.util.Arrays.stream(args)).toList())
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
        assertThat(log()).contains("dormouse ready").contains("level=INFO");

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
