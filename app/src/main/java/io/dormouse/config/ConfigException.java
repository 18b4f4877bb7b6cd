package io.dormouse.config;

/**
 * Configuration that cannot be used: names the key, where its value came from, the value,
 * and what is allowed.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(key.isEmpty() ? message : "configuration key '" + key + "': " + message);
        this.key = key;
    }

    /** The dotted key, for example {@code dns.listen}; empty when the problem is the whole file. */
    public String key() {
        return key;
    }
}
