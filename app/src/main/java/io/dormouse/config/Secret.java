package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A configured secret (a token, a password): never printed, masked in {@code config show}. */
public record Secret(String value) {

    public static final Secret NONE = new Secret("");

    public Secret {
        value = value == null ? "" : value;
    }

    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value);
    }

    public boolean isSet() {
        return !value.isEmpty();
    }

    @JsonValue
    String json() {
        return value;
    }

    @Override
    public String toString() {
        return isSet() ? "****" : "";
    }
}
