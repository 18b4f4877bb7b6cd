package io.dormouse.alloc;

import java.util.Objects;

/** A machine VMs run on, with all the capacity it offers to them. */
public record Host(String name, Resources capacity) {

    public Host {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("host name must not be blank, got " + name);
        }
        Objects.requireNonNull(capacity, "capacity of host " + name);
    }
}
