package io.dormouse.state;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Properties;

/** The two databases dormouse speaks to, and what each needs before and while connecting. */
enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    static Dialect of(DatabaseSettings settings) {
        return settings.url().startsWith(DatabaseSettings.SQLITE_PREFIX) ? SQLITE : POSTGRESQL;
    }

    /** Flyway location of this dialect's migrations: the DDL differs (identity columns), so each has its own. */
    String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /** Makes the database openable: for SQLite, the directory of the file must exist. */
    void prepare(DatabaseSettings settings) {
        if (this != SQLITE) {
            return;
        }
        String file = sqliteFile(settings);
        Path parent;
        try {
            parent = Path.of(file).toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            throw new StateException(StateException.Kind.INVALID_SETTINGS, "database.url '" + settings.maskedUrl()
                    + "' does not name a usable file: " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            String why = e instanceof FileAlreadyExistsException ? "a file of that name is in the way" : e.toString();
            throw new StateException(StateException.Kind.UNAVAILABLE, "cannot create directory " + parent
                    + " for the state database " + settings.maskedUrl() + " (" + why
                    + "): create it or point database.url elsewhere", e);
        }
    }

    /**
     * Connection properties. SQLite: WAL so readers never block the writer, a busy timeout instead of
     * failing at once on a locked file, foreign keys (off by default in SQLite), and IMMEDIATE
     * transactions so that a transaction takes the write lock up front and waits for it rather than
     * failing when it upgrades from reading to writing.
     */
    Properties connectionProperties(DatabaseSettings settings) {
        Properties properties = new Properties();
        long timeoutMillis = settings.busyTimeout().toMillis();
        switch (this) {
            case SQLITE -> {
                properties.setProperty("journal_mode", "WAL");
                properties.setProperty("busy_timeout", Long.toString(timeoutMillis));
                properties.setProperty("foreign_keys", "true");
                properties.setProperty("transaction_mode", "IMMEDIATE");
            }
            case POSTGRESQL -> {
                if (settings.user() != null) {
                    properties.setProperty("user", settings.user());
                }
                if (settings.password() != null) {
                    properties.setProperty("password", settings.password());
                }
                properties.setProperty("options", "-c lock_timeout=" + timeoutMillis);
                properties.setProperty("ApplicationName", "dormouse");
            }
        }
        return properties;
    }

    private static String sqliteFile(DatabaseSettings settings) {
        String file = settings.url().substring(DatabaseSettings.SQLITE_PREFIX.length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        // Every pooled connection to an in-memory database would see a database of its own.
        if (file.isEmpty() || file.contains(":memory:") || settings.url().contains("mode=memory")) {
            throw new StateException(StateException.Kind.INVALID_SETTINGS, "database.url '" + settings.maskedUrl()
                    + "' is an in-memory SQLite database, which dormouse cannot share between connections:"
                    + " give a file, for example jdbc:sqlite:dormouse-data/state.db");
        }
        return file;
    }
}
