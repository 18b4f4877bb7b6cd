package io.dormouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Prints results as aligned tables for people, or as JSON for scripts. */
final class Output {

    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?%?|n/a|-|");

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
        out.print(format(lines));
    }

    /** Aligned columns, two spaces apart; a column whose cells are all numbers (or n/a, -) is right-aligned. */
    static String format(List<String[]> lines) {
        int columns = lines.getFirst().length;
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        Arrays.fill(numeric, lines.size() > 1);
        for (int l = 0; l < lines.size(); l++) {
            String[] line = lines.get(l);
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
                if (l > 0 && !NUMBER.matcher(line[i]).matches()) {
                    numeric[i] = false;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                String cell = numeric[i] ? " ".repeat(width[i] - line[i].length()) + line[i]
                        : line[i] + " ".repeat(width[i] - line[i].length());
                row.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append(row.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
