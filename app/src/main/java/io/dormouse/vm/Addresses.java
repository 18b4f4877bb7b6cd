package io.dormouse.vm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A VM's front address, derived from its id so that it never collides and survives restarts:
 * 127.2.x.y, x.y the id (1 to 65534). The machine's own address is the hypervisor's to choose.
 */
final class Addresses {

    private Addresses() {
    }

    static Inet4Address front(long vmId) {
        return of(2, vmId);
    }

    private static Inet4Address of(int net, long vmId) {
        if (vmId < 1 || vmId > 65534) {
            throw new IllegalArgumentException("VM id must be 1 to 65534 to derive a loopback address, got " + vmId);
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {127, (byte) net, (byte) (vmId >> 8), (byte) vmId});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
