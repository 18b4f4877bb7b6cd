package io.dormouse.hypervisor.qemu;

import java.time.Duration;

/**
 * A QMP command that did not succeed: QEMU answered with an error, no answer came in
 * time, or the connection to QEMU is gone.
 */
public abstract sealed class QmpException extends RuntimeException {

    private final String command;

    private QmpException(String command, String message, Throwable cause) {
        super(message, cause);
        this.command = command;
    }

    /** The command that failed, or {@code greeting} when QEMU never greeted. */
    public String command() {
        return command;
    }

    /** QEMU's error response, with its error class (such as {@code CommandNotFound}) and description. */
    public static final class ErrorResponse extends QmpException {

        private final String errorClass;
        private final String description;

        ErrorResponse(String command, String errorClass, String description) {
            super(command, command + " failed: " + errorClass + ": " + description, null);
            this.errorClass = errorClass;
            this.description = description;
        }

        public String errorClass() {
            return errorClass;
        }

        public String description() {
            return description;
        }
    }

    /** No answer within the caller's timeout; a late answer is dropped. */
    public static final class Timeout extends QmpException {

        private final Duration timeout;

        Timeout(String command, Duration timeout) {
            super(command, command + " got no answer from QEMU within " + timeout, null);
            this.timeout = timeout;
        }

        public Duration timeout() {
            return timeout;
        }
    }

    /** The QMP socket could not be opened, or closed before the answer came. */
    public static final class Disconnected extends QmpException {

        Disconnected(String command, String reason, Throwable cause) {
            super(command, command + " failed: " + reason, cause);
        }
    }
}
