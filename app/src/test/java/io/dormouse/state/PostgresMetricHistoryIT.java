package io.dormouse.state;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Metric rollups and retention on a real PostgreSQL server, started for this test from Debian's binaries. */
class PostgresMetricHistoryIT extends MetricHistoryContract {

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
}
