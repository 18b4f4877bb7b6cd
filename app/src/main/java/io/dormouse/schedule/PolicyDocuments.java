package io.dormouse.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.config.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Schedule policies and tuned thresholds as the JSON the database keeps and the API exchanges:
 * durations as {@code 15m}, windows as text, every field named as in {@link SchedulePolicy}.
 */
public final class PolicyDocuments {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The fields of a policy document, in the order they are written. */
    public static final List<String> FIELDS = List.of("kind", "hibernateBelow", "hibernateAfter", "wakeAbove",
            "wakeMargin", "minimumAwake", "maxTransitionsPerHour", "alwaysOn", "tune");

    private PolicyDocuments() {
    }

    public static ObjectNode json(SchedulePolicy p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", p.kind().label());
        o.put("hibernateBelow", p.hibernateBelow());
        o.put("hibernateAfter", HumanDuration.format(p.hibernateAfter()));
        o.put("wakeAbove", p.wakeAbove());
        o.put("wakeMargin", HumanDuration.format(p.wakeMargin()));
        o.put("minimumAwake", HumanDuration.format(p.minimumAwake()));
        o.put("maxTransitionsPerHour", p.maxTransitionsPerHour());
        ArrayNode windows = o.putArray("alwaysOn");
        p.alwaysOn().texts().forEach(windows::add);
        o.put("tune", p.tune());
        return o;
    }

    /**
     * {@code base} with the fields {@code patch} sets; fields it leaves out keep their value.
     *
     * @throws ScheduleException naming the first field that is unknown, of the wrong type or out of range
     */
    public static SchedulePolicy merge(SchedulePolicy base, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new ScheduleException("policy", "a schedule policy must be a JSON object with some of the fields "
                    + FIELDS + ", got " + patch);
        }
        for (String field : (Iterable<String>) patch::fieldNames) {
            if (!FIELDS.contains(field)) {
                throw new ScheduleException(field, "unknown schedule field '" + field + "'; known fields: " + FIELDS);
            }
        }
        SchedulePolicy.Kind kind = patch.has("kind") ? SchedulePolicy.Kind.of(text(patch, "kind")) : base.kind();
        SchedulePolicy merged = new SchedulePolicy(kind,
                number(patch, "hibernateBelow", base.hibernateBelow()),
                duration(patch, "hibernateAfter", base.hibernateAfter()),
                number(patch, "wakeAbove", base.wakeAbove()),
                duration(patch, "wakeMargin", base.wakeMargin()),
                duration(patch, "minimumAwake", base.minimumAwake()),
                patch.has("maxTransitionsPerHour") ? integer(patch, "maxTransitionsPerHour") : base.maxTransitionsPerHour(),
                base.alwaysOn(),
                patch.has("tune") ? bool(patch, "tune") : base.tune());
        return patch.has("alwaysOn") ? merged.withAlwaysOn(windows(patch)) : merged;
    }

    /** The policy stored as {@code text}, or {@code fallback} when there is none. */
    static SchedulePolicy read(String text, SchedulePolicy fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return merge(fallback, MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            throw new ScheduleException("policy", "stored schedule policy is not JSON: " + e.getOriginalMessage());
        }
    }

    /** The tuned thresholds with what they cost, as stored and shown. */
    public record Tuned(double hibernateBelow, Duration hibernateAfter, double wakeAbove, double expectedCost,
                        int coldStarts, double idleAwakeHours, double awakeHours, int candidates, Duration replayed,
                        double coldStartPenalty, double idleAwakeHourCost, Instant tunedAt) {

        static Tuned of(Tuning.Tuned t, Tuning.Costs costs, Instant at) {
            return new Tuned(t.hibernateBelow(), t.hibernateAfter(), t.wakeAbove(), t.expectedCost(),
                    t.outcome().coldStarts(), t.outcome().idleAwakeHours(), t.outcome().awakeHours(), t.candidates(),
                    t.replayed(), costs.coldStartPenalty(), costs.idleAwakeHourCost(), at);
        }

        /** {@code policy} with these thresholds. */
        public SchedulePolicy applyTo(SchedulePolicy policy) {
            return policy.withThresholds(hibernateBelow, hibernateAfter, Math.max(hibernateBelow, wakeAbove));
        }

        public ObjectNode json() {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("hibernateBelow", hibernateBelow);
            o.put("hibernateAfter", HumanDuration.format(hibernateAfter));
            o.put("wakeAbove", wakeAbove);
            o.put("expectedCost", expectedCost);
            o.put("coldStarts", coldStarts);
            o.put("idleAwakeHours", idleAwakeHours);
            o.put("awakeHours", awakeHours);
            o.put("candidates", candidates);
            o.put("replayed", HumanDuration.format(replayed));
            o.put("coldStartPenalty", coldStartPenalty);
            o.put("idleAwakeHourCost", idleAwakeHourCost);
            o.put("tunedAt", tunedAt.toString());
            return o;
        }

        static Tuned read(String text) {
            try {
                JsonNode o = MAPPER.readTree(text);
                return new Tuned(o.path("hibernateBelow").asDouble(), HumanDuration.parse(o.path("hibernateAfter").asText()),
                        o.path("wakeAbove").asDouble(), o.path("expectedCost").asDouble(), o.path("coldStarts").asInt(),
                        o.path("idleAwakeHours").asDouble(), o.path("awakeHours").asDouble(), o.path("candidates").asInt(),
                        HumanDuration.parse(o.path("replayed").asText()), o.path("coldStartPenalty").asDouble(),
                        o.path("idleAwakeHourCost").asDouble(), Instant.parse(o.path("tunedAt").asText()));
            } catch (JsonProcessingException | RuntimeException e) {
                throw new ScheduleException("tuned", "stored tuned thresholds cannot be read: " + e.getMessage());
            }
        }
    }

    private static String text(JsonNode patch, String field) {
        JsonNode v = patch.get(field);
        if (!v.isTextual()) {
            throw new ScheduleException(field, field + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode patch, String field, double fallback) {
        if (!patch.has(field)) {
            return fallback;
        }
        JsonNode v = patch.get(field);
        if (!v.isNumber()) {
            throw new ScheduleException(field, field + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static int integer(JsonNode patch, String field) {
        JsonNode v = patch.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ScheduleException(field, field + " must be a whole number, got " + v);
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode patch, String field) {
        JsonNode v = patch.get(field);
        if (!v.isBoolean()) {
            throw new ScheduleException(field, field + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static Duration duration(JsonNode patch, String field, Duration fallback) {
        if (!patch.has(field)) {
            return fallback;
        }
        String text = text(patch, field);
        try {
            return HumanDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ScheduleException(field, field + " must be a duration such as 90s, 15m or 2h, got '" + text + "'");
        }
    }

    private static List<String> windows(JsonNode patch) {
        JsonNode v = patch.get("alwaysOn");
        if (!v.isArray()) {
            throw new ScheduleException("alwaysOn", "alwaysOn must be a list of windows such as [\"Mon-Fri 08:00-18:00\"],"
                    + " got " + v);
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode w : v) {
            if (!w.isTextual()) {
                throw new ScheduleException("alwaysOn", "alwaysOn windows must be strings, got " + w);
            }
            texts.add(w.asText());
        }
        return texts;
    }
}
