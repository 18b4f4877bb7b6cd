package io.dormouse.config;

import java.util.Objects;

/**
 * The REST API: where it listens, and its bearer token (empty: generated at first start
 * into the data directory).
 */
public record ApiConfig(ListenAddress listen, Secret token) {

    static final ApiConfig DEFAULTS = new ApiConfig(new ListenAddress("127.0.0.1", 7070), Secret.NONE);

    public ApiConfig {
        Objects.requireNonNull(listen, "listen");
        token = token == null ? Secret.NONE : token;
    }
}
