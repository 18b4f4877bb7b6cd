package io.dormouse.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Metric rollups and retention on a real SQLite file. */
class SqliteMetricHistoryTest extends MetricHistoryContract {

    @TempDir
    Path dir;
    private int databases;

    @Override
    protected DatabaseSettings freshDatabase() {
        return DatabaseSettings.sqlite(dir.resolve("state-" + ++databases + ".db"));
    }
}
