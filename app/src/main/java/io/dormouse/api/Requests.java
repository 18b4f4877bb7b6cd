package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.config.HumanDuration;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading request parts the same way in every route, with errors that name the parameter. */
final class Requests {

    private Requests() {
    }

    static JsonNode body(ServerRequest req) {
        try {
            JsonNode body = Json.MAPPER.readTree(req.content().inputStream());
            if (body == null || !body.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getMessage());
        }
    }

    static VmRecord vm(StateStore store, ServerRequest req) {
        String name = req.path().pathParameters().get("name");
        return store.vms().find(name).orElseThrow(() -> ApiException.notFound("no VM named " + name
                + "; 'dormouse vm list' shows the VMs there are"));
    }

    static Optional<String> query(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(s -> !s.isBlank());
    }

    static Optional<Duration> duration(ServerRequest req, String name) {
        try {
            return query(req, name).map(HumanDuration::parse);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + ": " + e.getMessage());
        }
    }

    static Optional<Instant> instant(ServerRequest req, String name) {
        try {
            return query(req, name).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an RFC 3339 time such as 2026-11-22T00:00:00Z, got "
                    + query(req, name).orElse(""));
        }
    }
}
