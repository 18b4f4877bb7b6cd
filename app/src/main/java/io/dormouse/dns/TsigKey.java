package io.dormouse.dns;

import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/** A shared TSIG key (RFC 8945, hmac-sha256) that lets a client read {@code _vmstate} records. */
public record TsigKey(String name, String secretBase64) {

    public TsigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretBase64, "secretBase64");
        try {
            Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("TSIG key name \"" + name + "\" is not a domain name");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(secretBase64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret of TSIG key \"" + name + "\" is not base64");
        }
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret of TSIG key \"" + name + "\" has " + secret.length
                    + " bytes; at least 16 are needed for hmac-sha256");
        }
        name = name.toLowerCase(Locale.ROOT);
    }

    /** The {@code name:base64} form used by {@code kdig -y hmac-sha256:name:secret}. */
    public static TsigKey parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("TSIG key \"" + text.replaceAll(":.*", ":***")
                    + "\" is not name:base64-secret");
        }
        return new TsigKey(text.substring(0, colon), text.substring(colon + 1));
    }

    Name dnsName() {
        return Name.fromConstantString(name.endsWith(".") ? name : name + ".");
    }

    TSIG tsig() {
        return new TSIG(TSIG.HMAC_SHA256, dnsName(), Base64.getDecoder().decode(secretBase64));
    }

    @Override
    public String toString() {
        return "TsigKey[" + name + ", hmac-sha256, ***]";
    }
}
