package io.dormouse.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/** Checks network lists such as {@code 127.0.0.0/8, ::1/128} as configuration is read. */
final class Cidrs {

    private Cidrs() {
    }

    static List<String> check(String key, List<String> cidrs) {
        List<String> copy = List.copyOf(cidrs == null ? List.of() : cidrs).stream().map(String::strip).toList();
        for (String cidr : copy) {
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            InetAddress parsed;
            try {
                parsed = InetAddress.ofLiteral(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " entry \"" + cidr + "\" is not an address or network such as 10.0.0.0/8");
            }
            int max = parsed instanceof Inet4Address ? 32 : 128;
            if (slash >= 0) {
                int prefix;
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException(key + " entry \"" + cidr + "\" has a prefix length outside 0-" + max);
                }
            }
        }
        return copy;
    }

    static boolean isIpv4(String text) {
        try {
            return InetAddress.ofLiteral(text) instanceof Inet4Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
