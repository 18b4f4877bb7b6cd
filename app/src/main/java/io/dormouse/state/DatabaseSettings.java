package io.dormouse.state;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the state database lives: a SQLite file ({@code jdbc:sqlite:/var/lib/dormouse/state.db},
 * the default) or a PostgreSQL server ({@code jdbc:postgresql://host:5432/dormouse}).
 *
 * @param url         JDBC URL, key {@code database.url}
 * @param user        PostgreSQL user, key {@code database.user}; ignored by SQLite; may be null
 * @param password    PostgreSQL password, key {@code database.password}; ignored by SQLite; may be null
 * @param busyTimeout how long a statement waits for a lock held by another connection, key
 *                    {@code database.busy-timeout}
 */
public record DatabaseSettings(String url, String user, String password, Duration busyTimeout) {

    static final String SQLITE_PREFIX = "jdbc:sqlite:";
    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw invalid("database.url is missing: give a JDBC URL starting with "
                    + SQLITE_PREFIX + " or " + POSTGRESQL_PREFIX);
        }
        if (!url.startsWith(SQLITE_PREFIX) && !url.startsWith(POSTGRESQL_PREFIX)) {
            throw invalid("database.url '" + mask(url) + "' is not supported: it must start with "
                    + SQLITE_PREFIX + " (a file) or " + POSTGRESQL_PREFIX + " (a server)");
        }
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.isNegative() || busyTimeout.isZero()) {
            throw invalid("database.busy-timeout must be positive, got " + busyTimeout);
        }
    }

    /** SQLite file {@code path} with a five second busy timeout. */
    public static DatabaseSettings sqlite(java.nio.file.Path path) {
        return new DatabaseSettings(SQLITE_PREFIX + path, null, null, Duration.ofSeconds(5));
    }

    /** The URL with any password in it replaced by {@code ***}, fit for messages and logs. */
    public String maskedUrl() {
        return mask(url);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + maskedUrl() + ", user=" + user
                + ", password=" + (password == null ? null : "***") + ", busyTimeout=" + busyTimeout + "]";
    }

    private static String mask(String url) {
        return PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    }

    private static StateException invalid(String message) {
        return new StateException(StateException.Kind.INVALID_SETTINGS, message);
    }
}
