package io.dormouse.hypervisor;

import java.util.OptionalInt;

/**
 * A change to a running machine: a CPU cap in percent of one CPU (100 = one full CPU) and/or
 * a memory target in MiB for the guest's balloon. Empty means leave as it is.
 */
public record Resize(OptionalInt cpuPercent, OptionalInt memoryMib) {

    public Resize {
        cpuPercent.ifPresent(p -> {
            if (p < 1 || p > 6400) {
                throw new IllegalArgumentException("cpuPercent must be 1 to 6400, got " + p);
            }
        });
        memoryMib.ifPresent(m -> {
            if (m < 16) {
                throw new IllegalArgumentException("memoryMib must be 16 or more, got " + m);
            }
        });
    }

    public static Resize cpu(int percent) {
        return new Resize(OptionalInt.of(percent), OptionalInt.empty());
    }

    public static Resize memory(int mib) {
        return new Resize(OptionalInt.empty(), OptionalInt.of(mib));
    }
}
