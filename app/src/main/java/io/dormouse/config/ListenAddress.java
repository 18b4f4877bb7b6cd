package io.dormouse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A {@code host:port} to listen on; port 0 asks the system for any free port. */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty; expected host:port such as 127.0.0.1:7070");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range; allowed 0-65535 (0 = any free port)");
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}. */
    @JsonCreator
    public static ListenAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("expected host:port such as 127.0.0.1:7070");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not host:port (for example 127.0.0.1:7070)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port \"" + text.substring(colon + 1) + "\" is not a number; allowed 0-65535");
        }
        return new ListenAddress(host, port);
    }

    @JsonValue
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
