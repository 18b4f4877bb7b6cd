package io.dormouse.sim;

/**
 * One VM of a simulated fleet: which trace it replays, rotated by {@code shift} steps (the trace read
 * as a loop), and how its demand is scaled. Built by {@link SimulatedFleet}.
 */
public record SimulatedVm(int index, int trace, int shift, double scale) {

    public SimulatedVm {
        if (shift < 0 || !(scale > 0)) {
            throw new SimulationException("vm " + index + ": shift must be zero or more and scale positive, got shift "
                    + shift + ", scale " + scale);
        }
    }
}
