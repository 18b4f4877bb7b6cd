package io.dormouse.forecast;

import java.time.Duration;

/**
 * The hybrid histogram policy's decision for one VM (Shahrad et al., "Serverless in the Wild",
 * USENIX ATC 2020): stay unloaded for {@code prewarm} after activity ends, then be warm for
 * {@code keepAlive}. When the idle-time histogram is not {@code representative}, the windows are the
 * fixed fallback: no pre-warm, keep alive for the histogram's range.
 */
public record IdleWindows(Duration prewarm, Duration keepAlive, boolean representative) {

    public IdleWindows {
        if (prewarm.isNegative() || keepAlive.isNegative()) {
            throw new ForecastException("windows must not be negative, got prewarm " + prewarm + ", keep-alive " + keepAlive);
        }
    }

    /** Whether the VM should be warm when {@code idle} has passed since the last activity. */
    public boolean warmAfter(Duration idle) {
        return idle.compareTo(prewarm) >= 0 && idle.compareTo(prewarm.plus(keepAlive)) <= 0;
    }
}
