package io.dormouse.dns;

import java.net.Inet4Address;
import java.util.Objects;

/** How a restore ended. */
public sealed interface WakeResult {

    /** The VM is up at {@code address}. */
    record Ready(Inet4Address address) implements WakeResult {
        public Ready {
            Objects.requireNonNull(address, "address");
        }
    }

    /** The restore failed; {@code reason} goes to the client as extended DNS error text. */
    record Failed(String reason) implements WakeResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
