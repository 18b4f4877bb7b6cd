package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpClientTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<QmpClient> clients = new ArrayList<>();
    private Path socket;
    private FakeQmpServer server;

    @BeforeEach
    void bind() throws Exception {
        socket = dir.resolve("qmp.sock");
        server = FakeQmpServer.bind(socket);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(QmpClient::close);
        server.close();
        threads.shutdownNow();
    }

    @Test
    void readsTheGreetingAndLeavesCapabilitiesNegotiation() throws Exception {
        Future<QmpClient> connecting = threads.submit(() -> QmpClient.connect(socket, LONG));
        JsonNode capabilities = server.handshake();

        try (QmpClient client = get(connecting)) {
            assertThat(capabilities.get("execute").asText()).isEqualTo("qmp_capabilities");
            assertThat(capabilities.has("arguments")).isFalse();
            assertThat(capabilities.get("id").isIntegralNumber()).isTrue();
            assertThat(client.qemuVersion()).isEqualTo(new QemuVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"));
            assertThat(client.qemuVersion()).hasToString("7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void correlatesAnswersByIdWhateverTheirOrder() throws Exception {
        QmpClient client = connect();
        Future<JsonNode> first = call(() -> client.execute("migrate", Map.of("uri", "exec:cat > state"), LONG));
        JsonNode firstSent = server.nextCommand();
        Future<JsonNode> second = call(() -> client.execute("query-status", LONG));
        JsonNode secondSent = server.nextCommand();

        server.reply(secondSent, "{\"status\": \"paused\"}");
        server.reply(firstSent, "{}");

        assertThat(firstSent.get("execute").asText()).isEqualTo("migrate");
        assertThat(firstSent.at("/arguments/uri").asText()).isEqualTo("exec:cat > state");
        assertThat(secondSent.get("id")).isNotEqualTo(firstSent.get("id"));
        assertThat(get(second).get("status").asText()).isEqualTo("paused");
        assertThat(get(first).isEmpty()).isTrue();
    }

    @Test
    void deliversEventsInOrderWithDataAndTimestamp() throws Exception {
        QmpClient client = connect();
        BlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();
        client.addEventListener(events::add);

        server.event("STOP", null, 1_795_330_111, 148_676);
        server.event("MIGRATION", "{\"status\": \"completed\"}", 1_795_330_111, 160_000);
        server.event("RESUME", null, 1_795_330_112, 5);

        QmpEvent stop = next(events);
        assertThat(stop.name()).isEqualTo("STOP");
        assertThat(stop.data().isObject() && stop.data().isEmpty()).isTrue();
        assertThat(stop.timestamp()).isEqualTo(Instant.ofEpochSecond(1_795_330_111, 148_676_000));
        QmpEvent migration = next(events);
        assertThat(migration.name()).isEqualTo("MIGRATION");
        assertThat(migration.data().get("status").asText()).isEqualTo("completed");
        assertThat(next(events).name()).isEqualTo("RESUME");
    }

    @Test
    void stopsDeliveringToARemovedListener() throws Exception {
        QmpClient client = connect();
        BlockingQueue<QmpEvent> removed = new LinkedBlockingQueue<>();
        BlockingQueue<QmpEvent> kept = new LinkedBlockingQueue<>();
        Consumer<QmpEvent> removedListener = removed::add;
        client.addEventListener(removedListener);
        client.addEventListener(kept::add);

        server.event("STOP", null, 1, 0);
        assertThat(next(kept).name()).isEqualTo("STOP");
        client.removeEventListener(removedListener);
        server.event("RESUME", null, 2, 0);
        assertThat(next(kept).name()).isEqualTo("RESUME");

        assertThat(removed).extracting(QmpEvent::name).containsExactly("STOP");
    }

    @Test
    void letsAListenerRunCommands() throws Exception {
        QmpClient client = connect();
        BlockingQueue<String> statuses = new LinkedBlockingQueue<>();
        client.addEventListener(event -> {
            try {
                statuses.add(client.execute("query-status", LONG).get("status").asText());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        server.event("STOP", null, 1, 0);
        JsonNode query = server.nextCommand();
        server.reply(query, "{\"status\": \"paused\"}");

        assertThat(query.get("execute").asText()).isEqualTo("query-status");
        assertThat(statuses.poll(10, TimeUnit.SECONDS)).isEqualTo("paused");
    }

    @Test
    void reportsQemuErrorsWithClassAndDescription() throws Exception {
        QmpClient client = connect();
        Future<JsonNode> call = call(() -> client.execute("no-such-command", LONG));
        server.error(server.nextCommand(), "CommandNotFound", "The command no-such-command has not been found");

        assertThatThrownBy(() -> get(call))
                .isInstanceOfSatisfying(QmpException.ErrorResponse.class, e -> {
                    assertThat(e.command()).isEqualTo("no-such-command");
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.description()).isEqualTo("The command no-such-command has not been found");
                    assertThat(e).hasMessageContaining("CommandNotFound");
                });
    }

    @Test
    void timesOutAndDropsTheLateAnswer() throws Exception {
        QmpClient client = connect();
        Duration timeout = Duration.ofMillis(200);
        long start = System.nanoTime();
        Future<JsonNode> slow = call(() -> client.execute("query-migrate", timeout));
        JsonNode slowSent = server.nextCommand();

        assertThatThrownBy(() -> get(slow))
                .isInstanceOfSatisfying(QmpException.Timeout.class, e -> {
                    assertThat(e.command()).isEqualTo("query-migrate");
                    assertThat(e.timeout()).isEqualTo(timeout);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);

        server.reply(slowSent, "{\"status\": \"late\"}");
        Future<JsonNode> next = call(() -> client.execute("query-status", LONG));
        server.reply(server.nextCommand(), "{\"status\": \"running\"}");
        assertThat(get(next).get("status").asText()).isEqualTo("running");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void failsEveryPendingCallAtOnceWhenQemuGoesAway() throws Exception {
        QmpClient client = connect();
        Future<JsonNode> first = call(() -> client.execute("migrate", Map.of("uri", "exec:cat > state"), LONG));
        server.nextCommand();
        Future<JsonNode> second = call(() -> client.execute("query-migrate", LONG));
        server.nextCommand();
        long start = System.nanoTime();

        server.disconnect();

        for (Future<JsonNode> pending : List.of(first, second)) {
            assertThatThrownBy(() -> get(pending))
                    .isInstanceOf(QmpException.Disconnected.class)
                    .hasMessageContaining("QEMU closed the QMP socket");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.execute("query-status", LONG))
                .isInstanceOfSatisfying(QmpException.Disconnected.class,
                        e -> assertThat(e.command()).isEqualTo("query-status"));
    }

    @Test
    void closingFailsThePendingCalls() throws Exception {
        QmpClient client = connect();
        Future<JsonNode> pending = call(() -> client.execute("query-status", LONG));
        server.nextCommand();

        client.close();

        assertThatThrownBy(() -> get(pending))
                .isInstanceOf(QmpException.Disconnected.class)
                .hasMessageContaining("the client closed the connection");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void ignoresMessagesItCannotCorrelate() throws Exception {
        QmpClient client = connect();
        Future<JsonNode> call = call(() -> client.execute("query-status", LONG));
        JsonNode sent = server.nextCommand();

        server.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}");
        server.send("{\"return\": {}, \"id\": \"not-ours\"}");
        server.send("[1, 2]");
        server.reply(sent, "{\"status\": \"running\"}");

        assertThat(get(call).get("status").asText()).isEqualTo("running");
    }

    @Test
    void waitsForTheSocketToAppear() throws Exception {
        server.close();
        Path later = dir.resolve("later.sock");
        Future<QmpClient> connecting = threads.submit(() -> QmpClient.connect(later, LONG));
        Thread.sleep(200);
        try (FakeQmpServer lateServer = FakeQmpServer.bind(later)) {
            lateServer.handshake();
            try (QmpClient client = get(connecting)) {
                assertThat(client.qemuVersion().major()).isEqualTo(7);
            }
        }
    }

    @Test
    void failsToConnectWhenNoServerListens() {
        Path nowhere = dir.resolve("nowhere.sock");

        assertThatThrownBy(() -> QmpClient.connect(nowhere, Duration.ofMillis(100)))
                .isInstanceOf(QmpException.Disconnected.class)
                .hasMessageContaining(nowhere.toString());
    }

    @Test
    void timesOutWhenQemuNeverGreets() throws Exception {
        Future<QmpClient> connecting = threads.submit(() -> QmpClient.connect(socket, Duration.ofMillis(300)));
        server.accept();

        assertThatThrownBy(() -> get(connecting))
                .isInstanceOfSatisfying(QmpException.Timeout.class, e -> assertThat(e.command()).isEqualTo("greeting"));
    }

    @Test
    void checksItsArguments() throws Exception {
        QmpClient client = connect();

        assertThatThrownBy(() -> client.execute(" ", LONG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command must be a QMP command name, got ' '");
        assertThatThrownBy(() -> client.execute("stop", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be a positive duration, got PT0S");
        assertThatThrownBy(() -> QmpClient.connect(socket, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }

    private QmpClient connect() throws Exception {
        Future<QmpClient> connecting = threads.submit(() -> QmpClient.connect(socket, LONG));
        server.handshake();
        QmpClient client = get(connecting);
        clients.add(client);
        return client;
    }

    private <T> Future<T> call(Callable<T> command) {
        return threads.submit(command);
    }

    /** The future's value, or the exception it failed with, unwrapped. */
    private static <T> T get(Future<T> future) throws Exception {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static QmpEvent next(BlockingQueue<QmpEvent> events) throws InterruptedException {
        QmpEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }
}
