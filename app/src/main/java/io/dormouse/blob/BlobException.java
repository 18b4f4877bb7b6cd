package io.dormouse.blob;

/** Why a blob store refused or failed a request; the message names the store and the key. */
public final class BlobException extends RuntimeException {

    /** What went wrong, coarse enough to act on. */
    public enum Kind {
        /** The key (or the byte range) does not exist. */
        NOT_FOUND,
        /** The key or an argument is not acceptable. */
        INVALID,
        /** The backend failed: I/O error, network, permissions. */
        FAILED
    }

    private final Kind kind;

    BlobException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    BlobException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
