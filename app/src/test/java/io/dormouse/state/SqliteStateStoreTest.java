package io.dormouse.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state store on a real SQLite file. */
class SqliteStateStoreTest extends StateStoreContract {

    @TempDir
    Path dir;
    private int databases;

    @Override
    protected DatabaseSettings freshDatabase() {
        // A directory that does not exist yet: opening must create it.
        return DatabaseSettings.sqlite(dir.resolve("data/state/state-" + ++databases + ".db"));
    }

    @Override
    protected DatabaseSettings unreachableDatabase() {
        Path blocker = dir.resolve("not-a-directory");
        try {
            Files.writeString(blocker, "a file where the database directory should be");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DatabaseSettings("jdbc:sqlite:" + blocker.resolve("state.db"), null, "s3cret",
                Duration.ofSeconds(1));
    }

    @Test
    void databaseFileIsInWriteAheadLogMode() throws SQLException {
        assertThat(Path.of(settings.url().substring("jdbc:sqlite:".length()))).isRegularFile();
        try (Connection connection = DriverManager.getConnection(settings.url());
             ResultSet row = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void pooledConnectionsEnforceForeignKeysAndWaitForLocks() throws SQLException {
        try (Database store = Database.open(settings, InstantSource.system(), null);
             Connection connection = store.dataSource().getConnection()) {
            assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(connection, "busy_timeout")).isEqualTo("5000");
        }
    }

    @Test
    void inMemoryDatabaseIsRefused() {
        assertThatThrownBy(() -> StateStore.open(
                new DatabaseSettings("jdbc:sqlite::memory:", null, null, Duration.ofSeconds(1))))
                .isInstanceOfSatisfying(StateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StateException.Kind.INVALID_SETTINGS))
                .hasMessageContaining("in-memory");
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }
}
