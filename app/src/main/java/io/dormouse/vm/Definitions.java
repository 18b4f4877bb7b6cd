package io.dormouse.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@link VmDefinition}s as the JSON kept in each VM's row and sent to the API. */
public final class Definitions {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final List<String> FIELDS = Arrays.stream(VmDefinition.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

    private Definitions() {
    }

    /**
     * The definition in {@code json}.
     *
     * @throws VmException {@link VmException.Kind#INVALID_SPEC} naming the field that is wrong
     */
    public static VmDefinition parse(String vm, JsonNode json) {
        // checked before binding: the record's own checks would otherwise report a misspelt field as missing
        for (String field : (Iterable<String>) json::fieldNames) {
            if (!FIELDS.contains(field)) {
                throw new VmException(VmException.Kind.INVALID_SPEC, vm, "spec of VM " + vm + " has an unknown field '"
                        + field + "'; known fields: " + FIELDS);
            }
        }
        try {
            return MAPPER.treeToValue(json, VmDefinition.class);
        } catch (UnrecognizedPropertyException e) {
            throw new VmException(VmException.Kind.INVALID_SPEC, vm, "spec of VM " + vm + " has an unknown field '"
                    + e.getPropertyName() + "'; known fields: " + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            throw new VmException(VmException.Kind.INVALID_SPEC, vm, "spec of VM " + vm + ": " + why, e);
        } catch (IllegalArgumentException e) {
            throw new VmException(VmException.Kind.INVALID_SPEC, vm, "spec of VM " + vm + ": " + e.getMessage(), e);
        }
    }

    /** The definition stored as {@code text}, or empty when it is not a readable definition. */
    static Optional<VmDefinition> read(String vm, String text) {
        try {
            return Optional.of(parse(vm, MAPPER.readTree(text)));
        } catch (JsonProcessingException | VmException e) {
            return Optional.empty();
        }
    }

    static String write(VmDefinition definition) {
        try {
            return MAPPER.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a VM definition could not be written as JSON", e);
        }
    }
}
