package io.dormouse.hypervisor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out loopback addresses {@code 127.B.x.y} to machines, one each, so every machine can
 * forward its guest ports unchanged. An address is given out only when each of the ports
 * can be bound on it at that moment, so processes outside this allocator are avoided too.
 */
public final class LoopbackAddresses {

    private final int secondOctet;
    private final Map<InetAddress, String> taken = new HashMap<>();
    private int next;

    /** Addresses {@code 127.secondOctet.0.1} to {@code 127.secondOctet.255.254}. */
    public LoopbackAddresses(int secondOctet) {
        if (secondOctet < 0 || secondOctet > 255) {
            throw new IllegalArgumentException("secondOctet must be 0 to 255, got " + secondOctet);
        }
        this.secondOctet = secondOctet;
    }

    /** A free address for {@code machine} on which every port of {@code ports} can be bound. */
    public synchronized InetAddress allocate(String machine, List<Integer> ports) {
        for (int tried = 0; tried < 65534; tried++) {
            int host = next % 65534 + 1;
            next = host;
            InetAddress address = address(host);
            if (!taken.containsKey(address) && bindable(address, ports) == 0) {
                taken.put(address, machine);
                return address;
            }
        }
        throw new HypervisorException(HypervisorException.Kind.START_FAILED, machine,
                "no free loopback address in 127." + secondOctet + ".0.0/16");
    }

    /**
     * Takes {@code address} for {@code machine}, or fails with {@code INVALID_SPEC} naming the
     * field when another machine has it or one of the ports is bound there already.
     */
    public synchronized InetAddress claim(String machine, InetAddress address, List<Integer> ports) {
        String holder = taken.get(address);
        if (holder != null && !holder.equals(machine)) {
            throw new HypervisorException(HypervisorException.Kind.INVALID_SPEC, machine,
                    "address " + address.getHostAddress() + " is already taken by vm '" + holder + "'");
        }
        int busy = bindable(address, ports);
        if (busy != 0) {
            throw new HypervisorException(HypervisorException.Kind.INVALID_SPEC, machine,
                    "address " + address.getHostAddress() + ":" + busy + " is already in use");
        }
        taken.put(address, machine);
        return address;
    }

    public synchronized void release(InetAddress address) {
        taken.remove(address);
    }

    /** 0 when every port can be bound on {@code address}, else the first that cannot. */
    private static int bindable(InetAddress address, List<Integer> ports) {
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                return port;
            }
        }
        return 0;
    }

    private InetAddress address(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) secondOctet, (byte) (host >> 8), (byte) host});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
