package io.dormouse.alloc;

import java.util.Objects;

/**
 * A VM asking for room to run: what it needs and how it ranks when room is short.
 *
 * @param priority higher wins among VMs of one SLA class, and may preempt lower ones
 */
public record Demand(String vm, Resources needs, SlaClass slaClass, int priority) {

    public Demand {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(needs, "needs of " + vm);
        Objects.requireNonNull(slaClass, "slaClass of " + vm);
    }
}
