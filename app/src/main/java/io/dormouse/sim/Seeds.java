package io.dormouse.sim;

/** Derives independent seeds from the run's seed, so each VM's randomness is its own whatever the thread count. */
final class Seeds {

    private Seeds() {
    }

    /** SplitMix64's finalizer over the seed, a VM index and a stream number. */
    static long mix(long seed, long vm, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (vm + 1) + 0xD1B54A32D192ED03L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
