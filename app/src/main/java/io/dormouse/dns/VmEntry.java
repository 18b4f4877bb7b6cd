package io.dormouse.dns;

import java.net.Inet4Address;
import java.util.Objects;

/** A VM as the DNS front door sees it: where to send clients now, and its {@code _vmstate} facts. */
public sealed interface VmEntry {

    /** The facts published in the VM's {@code _vmstate} record. */
    VmStateRecord state();

    /** Up and reachable at {@code address}: answered at once. */
    record Running(Inet4Address address, VmStateRecord state) implements VmEntry {
        public Running {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Asleep; {@code frontAddress} is the TCP front door that holds connections while it wakes. */
    record Hibernated(Inet4Address frontAddress, VmStateRecord state) implements VmEntry {
        public Hibernated {
            Objects.requireNonNull(frontAddress, "frontAddress");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Already being restored (by an earlier query or the scheduler); queries join that restore. */
    record Waking(Inet4Address frontAddress, VmStateRecord state) implements VmEntry {
        public Waking {
            Objects.requireNonNull(frontAddress, "frontAddress");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Cannot be served; answered SERVFAIL with {@code reason} as extended error text, never NXDOMAIN. */
    record Failed(String reason, VmStateRecord state) implements VmEntry {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(state, "state");
        }
    }
}
