package io.dormouse.schedule;

import java.util.Arrays;

/**
 * The instants (epoch milliseconds) of one VM's recent transitions, for the flap guard: how many
 * fell in the hour before a given instant. Not thread-safe; the scheduler keeps one per VM.
 */
public final class TransitionLog {

    private static final long HOUR = 3_600_000L;

    private long[] times = new long[8];
    private int first;
    private int size;

    /** Notes a transition at {@code millis}, which is not before the last one noted. */
    public void record(long millis) {
        forgetBefore(millis - HOUR);
        if (size == times.length) {
            long[] grown = new long[times.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = times[(first + i) % times.length];
            }
            times = grown;
            first = 0;
        }
        times[(first + size) % times.length] = millis;
        size++;
    }

    /** Transitions in the hour before {@code millis}, which is not before the last one noted. */
    public int lastHour(long millis) {
        forgetBefore(millis - HOUR);
        return size;
    }

    /** The last transition noted, or {@link Long#MIN_VALUE} when none is remembered. */
    public long latest() {
        return size == 0 ? Long.MIN_VALUE : times[(first + size - 1) % times.length];
    }

    private void forgetBefore(long cutoff) {
        while (size > 0 && times[first] <= cutoff) {
            first = (first + 1) % times.length;
            size--;
        }
    }

    @Override
    public String toString() {
        long[] kept = new long[size];
        for (int i = 0; i < size; i++) {
            kept[i] = times[(first + i) % times.length];
        }
        return Arrays.toString(kept);
    }
}
