package io.dormouse.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * The TCP front door: whether it listens on the VMs' front addresses, how many connections it holds
 * per waking VM and for how long, which ports' traffic is not demand (excluded sources are
 * {@code telemetry.excluded-sources}), and how long a woken VM stays awake.
 */
public record FrontConfig(boolean enabled, int holdLimit, Duration holdTimeout, List<Integer> excludePorts,
                          Duration minAwake) {

    static final FrontConfig DEFAULTS = new FrontConfig(true, 256, Duration.ofSeconds(30), List.of(),
            Duration.ofMinutes(2));

    public FrontConfig {
        if (holdLimit < 1 || holdLimit > 100_000) {
            throw new IllegalArgumentException("hold-limit " + holdLimit + " is out of range; allowed 1-100000"
                    + " (connections held per waking VM)");
        }
        if (holdTimeout == null || !holdTimeout.isPositive()) {
            throw new IllegalArgumentException("hold-timeout " + holdTimeout
                    + " must be a positive duration such as 30s");
        }
        excludePorts = List.copyOf(excludePorts == null ? List.of() : excludePorts);
        var seen = new HashSet<Integer>();
        for (Integer port : excludePorts) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("exclude-ports entry " + port + " is out of range; allowed 1-65535");
            }
            if (!seen.add(port)) {
                throw new IllegalArgumentException("exclude-ports lists " + port + " twice");
            }
        }
        if (minAwake == null || minAwake.isNegative()) {
            throw new IllegalArgumentException("min-awake " + minAwake + " must be a duration of 0 or more such as 2m");
        }
    }
}
