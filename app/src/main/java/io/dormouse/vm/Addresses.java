package io.dormouse.vm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The loopback network {@code 127.N.0.0/16} that front addresses come from: VM id {@code x.y} gets
 * {@code 127.N.x.y}, so an address never collides and survives restarts (ids 1 to 65534). The
 * machine's own address is the hypervisor's to choose.
 *
 * @param octet N, the network's second octet ({@code front.network})
 */
record Addresses(int octet) {

    static final Addresses DEFAULT = new Addresses(2);

    Addresses {
        if (octet < 0 || octet > 255) {
            throw new IllegalArgumentException("the front network's second octet must be 0 to 255, got " + octet);
        }
    }

    /** True when {@code vmId} has an address in the network. */
    static boolean fits(long vmId) {
        return vmId >= 1 && vmId <= 65534;
    }

    Inet4Address front(long vmId) {
        if (!fits(vmId)) {
            throw new IllegalArgumentException("VM id must be 1 to 65534 to derive a loopback address, got " + vmId);
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {127, (byte) octet, (byte) (vmId >> 8), (byte) vmId});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
