package io.dormouse.telemetry;

import java.util.OptionalLong;

/** The host process that runs a VM's guest: where its CPU time and resident memory are read from. */
public interface GuestProcess {

    /** Its process id; /proc/PID is read for CPU time and resident memory. */
    long pid();

    /** Guest memory as the balloon device reports it, in bytes; empty when there is no such device or no answer. */
    OptionalLong balloonBytes();
}
