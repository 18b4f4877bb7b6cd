package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real QEMU process with no machine, which starts in well under a second. */
class QmpClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Process qemu;
    private QmpClient client;
    private final BlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void startQemu() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder(qemuBinary().toString(), "-machine", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        client = QmpClient.connect(socket, TIMEOUT);
        client.addEventListener(events::add);
    }

    @AfterEach
    void stopQemu() throws Exception {
        if (client != null) {
            client.close();
        }
        if (qemu == null) {
            return;
        }
        qemu.destroy();
        if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
            qemu.destroyForcibly();
        }
    }

    @Test
    void reportsTheVersionItGreetedWith() throws Exception {
        JsonNode version = client.execute("query-version", TIMEOUT);

        QemuVersion greeted = client.qemuVersion();
        assertThat(greeted.major()).isGreaterThanOrEqualTo(7);
        assertThat(version.at("/qemu/major").asInt()).isEqualTo(greeted.major());
        assertThat(version.at("/qemu/minor").asInt()).isEqualTo(greeted.minor());
        assertThat(version.at("/qemu/micro").asInt()).isEqualTo(greeted.micro());
        assertThat(version.get("package").asText()).isEqualTo(greeted.packageName());
    }

    @Test
    void stopsAndContinuesWithEvents() throws Exception {
        assertThat(status()).isEqualTo("running");

        client.execute("stop", TIMEOUT);
        assertThat(nextEvent().name()).isEqualTo("STOP");
        assertThat(status()).isEqualTo("paused");

        client.execute("cont", TIMEOUT);
        assertThat(nextEvent().name()).isEqualTo("RESUME");
        assertThat(status()).isEqualTo("running");
    }

    @Test
    void reportsAnUnknownCommandAsCommandNotFound() {
        assertThatThrownBy(() -> client.execute("dormouse-no-such-command", TIMEOUT))
                .isInstanceOfSatisfying(QmpException.ErrorResponse.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.description()).contains("dormouse-no-such-command");
                });
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void seesQemuQuit() throws Exception {
        client.execute("quit", TIMEOUT);

        QmpEvent shutdown = nextEvent();
        assertThat(shutdown.name()).isEqualTo("SHUTDOWN");
        assertThat(shutdown.data().get("reason").asText()).isEqualTo("host-qmp-quit");
        assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).as("QEMU exits after quit").isTrue();
        assertThatThrownBy(() -> client.execute("query-status", TIMEOUT))
                .isInstanceOf(QmpException.Disconnected.class);
    }

    private String status() throws InterruptedException {
        return client.execute("query-status", TIMEOUT).get("status").asText();
    }

    private QmpEvent nextEvent() throws InterruptedException {
        QmpEvent event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an event within " + TIMEOUT).isNotNull();
        return event;
    }

    private static Path qemuBinary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, "qemu-system-x86_64"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseGet(() -> fail("qemu-system-x86_64 is not on the PATH: install the Debian package "
                        + "qemu-system-x86 (apt-get install qemu-system-x86)"));
    }
}
