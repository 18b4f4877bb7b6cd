package io.dormouse.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** The JSON text columns: VM specs (owned by the vm package, checked here only for shape) and host labels. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {
    };

    private Json() {
    }

    /** Throws naming {@code field} unless {@code text} is a JSON object. */
    static void requireObject(String field, String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object, got " + text);
        }
    }

    static String labels(Map<String, String> labels) {
        try {
            return MAPPER.writeValueAsString(new TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels of strings always serialize", e);
        }
    }

    static Map<String, String> labels(String text) {
        try {
            return Map.copyOf(MAPPER.readValue(text, LABELS));
        } catch (JsonProcessingException e) {
            throw new StateException(StateException.Kind.FAILED, "host labels in the database are not a JSON object of"
                    + " strings: " + text, e);
        }
    }
}
