package io.dormouse.telemetry;

/**
 * Front-door traffic of one VM: totals since the front door started, never decreasing, each starting at
 * zero. Traffic from excluded sources (health checkers) is not in them: it is not demand.
 *
 * @param connections connections accepted for the VM (held or spliced)
 * @param bytesIn     bytes passed from clients to the VM
 * @param bytesOut    bytes passed from the VM to clients
 */
public record Activity(long connections, long bytesIn, long bytesOut) {

    public static final Activity NONE = new Activity(0, 0, 0);

    public Activity {
        if (connections < 0 || bytesIn < 0 || bytesOut < 0) {
            throw new IllegalArgumentException("activity totals must not be negative, got connections " + connections
                    + ", bytes in " + bytesIn + ", bytes out " + bytesOut);
        }
    }
}
