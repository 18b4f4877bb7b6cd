package io.dormouse.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Reads the column types the schema shares between SQLite and PostgreSQL. Times are stored as
 * epoch milliseconds (BIGINT) in both, so they compare and sort the same; finer precision is dropped.
 */
final class Columns {

    private Columns() {
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        return Instant.ofEpochMilli(row.getLong(column));
    }

    static Instant instantOrNull(ResultSet row, String column) throws SQLException {
        Long millis = longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static Long longOrNull(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    static Long millisOrNull(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
