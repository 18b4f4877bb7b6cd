package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code ./dormouse serve} as a user runs it: a real process on free loopback ports, started in
 * {@code dir} with its output appended to {@code dir/serve.log}, returned once {@code /readyz} answers.
 */
final class ServerProcess {

    static final Path LAUNCHER = Path.of("..", "dormouse").toAbsolutePath().normalize();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int apiPort;
    private final Path dir;

    private ServerProcess(Process process, int apiPort, Path dir) {
        this.process = process;
        this.apiPort = apiPort;
        this.dir = dir;
    }

    /** Starts the server with {@code env} added to its environment and waits up to {@code ready} for it. */
    static ServerProcess start(Path dir, Map<String, String> env, Duration ready) throws Exception {
        int port;
        int dnsPort;
        // both held at once, so that the kernel cannot hand out the same free port twice
        try (ServerSocket api = new ServerSocket(0); ServerSocket dns = new ServerSocket(0)) {
            port = api.getLocalPort();
            dnsPort = dns.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "serve", "--api-listen", "127.0.0.1:" + port)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.log").toFile()));
        pb.environment().put("DORMOUSE_DNS_LISTEN", "127.0.0.1:" + dnsPort);
        pb.environment().putAll(env);
        ServerProcess server = new ServerProcess(pb.start(), port, dir);
        try {
            server.awaitReady(ready);
        } catch (Exception | AssertionError e) {
            server.process.destroyForcibly(); // a server that never got ready must not outlive the test
            throw e;
        }
        return server;
    }

    private void awaitReady(Duration ready) throws Exception {
        long deadline = System.nanoTime() + ready.toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(process.isAlive()).as("server exited early: %s", log()).isTrue();
            assertThat(System.nanoTime()).as("server not ready in %s: %s", ready, log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    Process process() {
        return process;
    }

    int apiPort() {
        return apiPort;
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("serve.log"));
    }
}
