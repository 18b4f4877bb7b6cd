package io.dormouse.sim;

/** A simulation that cannot run as asked: unreadable traces, settings out of range. The message names the input. */
public final class SimulationException extends RuntimeException {

    public SimulationException(String message) {
        super(message);
    }
}
