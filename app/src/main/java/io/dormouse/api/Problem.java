package io.dormouse.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code code} is stable and meant for scripts; {@code title}
 * and {@code detail} are for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("https://dormouse.io/problems/" + code, title, status, detail, code);
    }
}
