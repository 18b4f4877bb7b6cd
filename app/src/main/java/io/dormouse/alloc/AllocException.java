package io.dormouse.alloc;

/** A demand the fleet can never serve as asked, such as one larger than every host. */
public final class AllocException extends RuntimeException {

    public AllocException(String message) {
        super(message);
    }
}
