package io.dormouse.state;

/**
 * Why the state database refused or failed a request. The {@link Kind} says what a caller can do
 * about it (the REST API maps kinds to HTTP statuses in one place); the message says it in words.
 */
public final class StateException extends RuntimeException {

    /** What went wrong, coarse enough to act on. */
    public enum Kind {
        /** The {@link DatabaseSettings} are not usable as given. */
        INVALID_SETTINGS,
        /** The database cannot be opened or reached. */
        UNAVAILABLE,
        /** Bringing the schema up to date failed. */
        MIGRATION_FAILED,
        /** A row with the same unique key exists already. */
        DUPLICATE,
        /** The row asked for, or referred to, does not exist. */
        NOT_FOUND,
        /** The row changed since it was read (optimistic locking), or is in the wrong state for the change. */
        CONFLICT,
        /** Any other database failure. */
        FAILED
    }

    private final Kind kind;

    StateException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    StateException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
