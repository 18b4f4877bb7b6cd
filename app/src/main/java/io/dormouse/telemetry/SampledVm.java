package io.dormouse.telemetry;

import java.util.Objects;
import java.util.Optional;

/**
 * A VM as the {@link Sampler} sees it in one round: its id (series are stored by id), its name (gauges are
 * tagged with it) and the host process running its guest, when there is one.
 *
 * @param process empty while the VM has no process of its own (hibernated, stopped, or an in-process machine)
 */
public record SampledVm(long id, String name, Optional<GuestProcess> process) {

    public SampledVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(process, "process of VM " + name);
    }
}
