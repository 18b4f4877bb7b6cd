package io.dormouse.schedule;

/** Connections open to a VM right now, as the TCP front door counts them; a VM with any is not hibernated. */
@FunctionalInterface
public interface Connections {

    /** For servers without a front door: no VM has an open connection the scheduler knows of. */
    Connections NONE = vm -> 0;

    int active(String vm);
}
