package io.dormouse.state;

import java.time.Instant;
import java.util.Map;

/**
 * A host VMs can be placed on, with its capacity and the time it last reported in.
 *
 * @param labels free-form placement labels, for example {@code zone=a}
 */
public record HostRecord(long id, String name, int vcpus, long memoryMib, long netMbps, Map<String, String> labels,
                         Instant heartbeatAt) {

    public HostRecord {
        labels = Map.copyOf(labels);
    }
}
