package io.dormouse.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The facts of a VM published as {@code _vmstate.<vm>.<zone>}: where its state lives and what
 * waking it costs. {@code hibernatedAt} is null while the VM has never slept.
 */
public record VmStateRecord(long version, String location, Instant hibernatedAt, Duration wakeEstimate,
                            int cpus, long memoryMib, int netMbps, int priority) {

    public VmStateRecord {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(wakeEstimate, "wakeEstimate");
        if (location.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255 - "location=".length()) {
            throw new IllegalArgumentException("location is " + location.length()
                    + " characters; a DNS character-string holds at most 246 bytes after \"location=\"");
        }
        if (version < 0 || cpus < 0 || memoryMib < 0 || netMbps < 0) {
            throw new IllegalArgumentException("version, cpus, memoryMib and netMbps must be >= 0; got "
                    + version + ", " + cpus + ", " + memoryMib + ", " + netMbps);
        }
    }

    /** The {@code key=value} character-strings of the record, in a fixed order. */
    public List<String> strings() {
        List<String> out = new ArrayList<>(8);
        out.add("version=" + version);
        out.add("location=" + location);
        if (hibernatedAt != null) {
            out.add("hibernated-at=" + hibernatedAt);
        }
        out.add("wake-estimate-ms=" + wakeEstimate.toMillis());
        out.add("cpus=" + cpus);
        out.add("memory-mib=" + memoryMib);
        out.add("net-mbps=" + netMbps);
        out.add("priority=" + priority);
        return out;
    }
}
