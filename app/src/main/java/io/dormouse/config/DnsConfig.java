package io.dormouse.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** The DNS front door: where it listens and the zone it is authoritative for. */
public record DnsConfig(ListenAddress listen, String zone) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|_[a-z0-9-]+");

    static final DnsConfig DEFAULTS = new DnsConfig(new ListenAddress("127.0.0.1", 1053), "dormouse.test.");

    public DnsConfig {
        Objects.requireNonNull(listen, "listen");
        zone = absolute(zone);
    }

    private static String absolute(String zone) {
        if (zone == null || zone.isBlank() || zone.equals(".")) {
            throw new IllegalArgumentException("zone is empty; expected a domain name such as dormouse.test.");
        }
        String z = zone.toLowerCase(Locale.ROOT);
        z = z.endsWith(".") ? z : z + ".";
        if (z.length() > 254) {
            throw new IllegalArgumentException("zone \"" + zone + "\" is longer than 253 characters");
        }
        for (String label : z.substring(0, z.length() - 1).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("zone \"" + zone + "\" has an invalid label \"" + label
                        + "\"; labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
        return z;
    }
}
