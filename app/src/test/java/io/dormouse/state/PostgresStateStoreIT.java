package io.dormouse.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The state store on a real PostgreSQL server, started for this test from Debian's binaries. */
class PostgresStateStoreIT extends StateStoreContract {

    static PostgresServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected DatabaseSettings freshDatabase() {
        return server.createDatabase();
    }

    @Override
    protected DatabaseSettings unreachableDatabase() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + closedPort + "/dormouse?password=s3cret",
                "dormouse", "s3cret", Duration.ofSeconds(1));
    }

    @Test
    void wrongPasswordIsReportedWithoutRevealingIt() {
        DatabaseSettings wrong = new DatabaseSettings(settings.url() + "?password=not-the-password",
                PostgresServer.USER, "not-the-password", Duration.ofSeconds(1));

        assertThatThrownBy(() -> StateStore.open(wrong))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.UNAVAILABLE))
                .hasMessageContaining(settings.url() + "?password=***")
                .hasMessageContaining("database.password")
                .hasMessageNotContaining("not-the-password");
    }
}
