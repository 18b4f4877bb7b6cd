package io.dormouse.vm;

/**
 * Why the VM manager refused or failed a request. The {@link Kind} says what a caller can do about it
 * (the REST API maps kinds to HTTP statuses); the message says it in words, naming the VM.
 */
public final class VmException extends RuntimeException {

    /** What went wrong, coarse enough to act on. */
    public enum Kind {
        /** No VM of that name. */
        NOT_FOUND,
        /** A VM of that name exists already. */
        DUPLICATE,
        /** The VM's state does not allow the move asked for; nothing changed. */
        ILLEGAL_TRANSITION,
        /** The spec is not valid as given. */
        INVALID_SPEC,
        /** The VM needs more than any host has. */
        OVER_CAPACITY,
        /** Too many callers wait for the VM already. */
        BUSY,
        /** The transition started and its side effects failed; the VM's record says how it ended. */
        FAILED
    }

    private final Kind kind;
    private final String vm;

    public VmException(Kind kind, String vm, String message) {
        super(message);
        this.kind = kind;
        this.vm = vm;
    }

    public VmException(Kind kind, String vm, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.vm = vm;
    }

    static VmException notFound(String vm) {
        return new VmException(Kind.NOT_FOUND, vm, "no VM named " + vm + "; 'dormouse vm list' shows the VMs there are");
    }

    static VmException illegal(String vm, VmState from, VmState to) {
        return new VmException(Kind.ILLEGAL_TRANSITION, vm, "VM " + vm + " is " + from.label() + " and cannot become "
                + to.label() + "; from " + from.label() + " it may become "
                + from.next().stream().map(VmState::label).sorted().toList());
    }

    public Kind kind() {
        return kind;
    }

    public String vm() {
        return vm;
    }
}
