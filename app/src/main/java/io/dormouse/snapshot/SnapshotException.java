package io.dormouse.snapshot;

/** Why the snapshot store refused or failed a request; the message names the VM, version, key id or object. */
public final class SnapshotException extends RuntimeException {

    /** What went wrong, coarse enough to act on. */
    public enum Kind {
        /** No such version, or an object a version needs is missing. */
        NOT_FOUND,
        /** An argument or the settings do not fit the store. */
        INVALID,
        /** The key file is missing or holds another key than the store was written with. */
        WRONG_KEY,
        /** Stored data failed verification: tampered with or damaged. Nothing of it was returned. */
        CORRUPT,
        /** The blob store or the local disk failed. */
        FAILED
    }

    private final Kind kind;

    SnapshotException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    SnapshotException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
