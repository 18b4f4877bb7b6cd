package io.dormouse.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message QEMU sends on a QMP socket, decoded as in QEMU's docs/interop/qmp-spec.txt
 * section 2: the greeting (2.2), a success or error response (2.4) or an event (2.5).
 */
sealed interface QmpMessage {

    record Greeting(QemuVersion version, List<String> capabilities) implements QmpMessage {
    }

    record Success(long id, JsonNode value) implements QmpMessage {
    }

    record Failure(long id, String errorClass, String description) implements QmpMessage {
    }

    record Event(QmpEvent event) implements QmpMessage {
    }

    /** Anything this client cannot act on: it never sends a command without a numeric id. */
    record Unexpected(JsonNode json, String why) implements QmpMessage {
    }

    static QmpMessage parse(JsonNode json) {
        if (!json.isObject()) {
            return new Unexpected(json, "not a JSON object");
        }
        if (json.has("QMP")) {
            return greeting(json.get("QMP"));
        }
        if (json.has("event")) {
            return event(json);
        }
        JsonNode id = json.get("id");
        boolean correlated = id != null && id.canConvertToLong() && id.isIntegralNumber();
        if (json.has("return")) {
            return correlated ? new Success(id.asLong(), json.get("return"))
                    : new Unexpected(json, "response without a numeric id");
        }
        if (json.has("error")) {
            JsonNode error = json.get("error");
            return correlated ? new Failure(id.asLong(), error.path("class").asText(), error.path("desc").asText())
                    : new Unexpected(json, "error without a numeric id");
        }
        return new Unexpected(json, "neither greeting, response nor event");
    }

    private static QmpMessage greeting(JsonNode qmp) {
        JsonNode version = qmp.path("version");
        JsonNode qemu = version.path("qemu");
        List<String> capabilities = new ArrayList<>();
        qmp.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        return new Greeting(
                new QemuVersion(qemu.path("major").asInt(), qemu.path("minor").asInt(), qemu.path("micro").asInt(),
                        version.path("package").asText("")),
                List.copyOf(capabilities));
    }

    private static QmpMessage event(JsonNode json) {
        JsonNode timestamp = json.path("timestamp");
        Instant at = Instant.ofEpochSecond(timestamp.path("seconds").asLong(),
                timestamp.path("microseconds").asLong() * 1_000);
        JsonNode data = json.has("data") ? json.get("data") : JsonNodeFactory.instance.objectNode();
        return new Event(new QmpEvent(json.get("event").asText(), data, at));
    }
}
