package io.dormouse.alloc;

import java.util.Arrays;
import java.util.Locale;

/** The service class a VM was promised; when capacity is short, a better class is served first. */
public enum SlaClass {
    GOLD,
    STANDARD,
    BRONZE;

    /** Lower serves first. */
    int rank() {
        return ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The class called {@code label}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the allowed classes
     */
    public static SlaClass of(String label) {
        for (SlaClass c : values()) {
            if (c.name().equalsIgnoreCase(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("slaClass must be one of "
                + Arrays.stream(values()).map(SlaClass::label).toList() + ", got '" + label + "'");
    }
}
