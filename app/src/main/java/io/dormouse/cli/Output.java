package io.dormouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints results as aligned tables for people, or as JSON for scripts. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A table of {@code rows} (a JSON array of objects) with the given fields as columns, in that order. */
    static void table(PrintWriter out, JsonNode rows, String... fields) {
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            header[i] = fields[i].replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase();
        }
        lines.add(header);
        for (JsonNode row : rows) {
            String[] line = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                JsonNode v = row.path(fields[i]);
                line[i] = v.isMissingNode() || v.isNull() ? "-" : v.isValueNode() ? v.asText() : v.toString();
            }
            lines.add(line);
        }
        table(out, lines);
        if (rows.isEmpty()) {
            out.println("(none)");
        }
        out.flush();
    }

    static void table(PrintWriter out, List<String[]> lines) {
        int[] width = new int[lines.getFirst().length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                sb.append(i == line.length - 1 ? line[i] : String.format("%-" + width[i] + "s  ", line[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
