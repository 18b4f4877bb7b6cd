package io.dormouse.front;

import io.dormouse.config.FrontConfig;
import io.dormouse.dns.Cidr;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the TCP front door is tuned by; {@link #from} turns the configuration into it.
 *
 * @param enabled        false: no listener opens; metering and limits still answer (all zero)
 * @param holdLimit      connections held at once per VM while it wakes; more are closed
 * @param holdTimeout    how long a held connection waits for its VM before it is closed
 * @param excludeSources client networks whose connections are not demand (health checkers)
 * @param excludePorts   VM ports whose connections are not demand
 * @param minAwake       how long after each wake {@link Activity#keepAwake} holds a VM awake
 * @param syncEvery      how often the listeners are brought in line with the fleet
 */
public record FrontSettings(boolean enabled, int holdLimit, Duration holdTimeout, List<Cidr> excludeSources,
                            Set<Integer> excludePorts, Duration minAwake, Duration syncEvery) {

    public FrontSettings {
        if (holdLimit < 1) {
            throw new IllegalArgumentException("holdLimit must be 1 or more, got " + holdLimit);
        }
        positive("holdTimeout", holdTimeout);
        positive("syncEvery", syncEvery);
        excludeSources = List.copyOf(excludeSources);
        excludePorts = Set.copyOf(excludePorts);
        Objects.requireNonNull(minAwake, "minAwake");
        if (minAwake.isNegative()) {
            throw new IllegalArgumentException("minAwake must be 0 or more, got " + minAwake);
        }
    }

    /** The configured front door, brought in line with the fleet every {@code syncEvery}. */
    public static FrontSettings from(FrontConfig config, Duration syncEvery) {
        return new FrontSettings(config.enabled(), config.holdLimit(), config.holdTimeout(),
                config.excludeSources().stream().map(Cidr::parse).toList(), Set.copyOf(config.excludePorts()),
                config.minAwake(), syncEvery);
    }

    /** Whether a connection from {@code client} (null when unknown) to {@code port} counts as demand. */
    boolean demand(InetAddress client, int port) {
        if (excludePorts.contains(port)) {
            return false;
        }
        for (Cidr c : excludeSources) {
            if (client != null && c.contains(client)) {
                return false;
            }
        }
        return true;
    }

    private static void positive(String field, Duration value) {
        if (value == null || !value.isPositive()) {
            throw new IllegalArgumentException(field + " must be a positive duration, got " + value);
        }
    }
}
