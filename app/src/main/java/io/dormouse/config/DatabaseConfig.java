package io.dormouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The state database: SQLite in the data directory unless {@code url} names another
 * (a {@code jdbc:sqlite:} file or a {@code jdbc:postgresql:} server).
 */
public record DatabaseConfig(String url, String user, Secret password, Duration busyTimeout) {

    static final DatabaseConfig DEFAULTS = new DatabaseConfig("", "", Secret.NONE, Duration.ofSeconds(5));

    public DatabaseConfig {
        url = url == null ? "" : url.strip();
        user = user == null ? "" : user;
        password = password == null ? Secret.NONE : password;
        Objects.requireNonNull(busyTimeout, "busy-timeout");
        if (!url.isEmpty() && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url \"" + url
                    + "\" is not supported; allowed: empty (SQLite in the data directory), jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
        }
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busy-timeout " + busyTimeout + " is out of range");
        }
    }

    /** The JDBC URL to open: the configured one, or SQLite's {@code state.db} in {@code dataDir}. */
    public String effectiveUrl(Path dataDir) {
        return url.isEmpty() ? "jdbc:sqlite:" + dataDir.resolve("state.db") : url;
    }
}
