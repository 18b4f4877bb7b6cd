package io.dormouse.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** JSON bodies of the API: one mapper, ISO-8601 times. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    /** Sends {@code body} as {@code application/json}. */
    public static void send(ServerResponse res, Object body) {
        send(res, body, "application/json");
    }

    static void send(ServerResponse res, Object body, String mediaType) {
        try {
            res.header(HeaderNames.CONTENT_TYPE, mediaType).send(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
