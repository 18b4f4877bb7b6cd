package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dormouse vm schedule NAME [--set FIELD=VALUE]...}: a VM's schedule policy, tuned thresholds and decisions. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Shows a VM's schedule policy, the thresholds in force, the tuned ones with their expected"
                + " cost, and the scheduler's latest decisions; --set changes policy fields.",
                "  dormouse vm schedule web-1",
                "  dormouse vm schedule web-1 --set kind=predictive --set hibernateAfter=20m --set tune=true",
                "  dormouse vm schedule web-1 --set 'alwaysOn=Mon-Fri 08:00-18:00' --set 'alwaysOn=Sat 10:00-12:00'",
                "Fields: kind (fixed-idle, hybrid-histogram, predictive, expected-cost, always-on), hibernateBelow, hibernateAfter,"
                        + " wakeAbove, wakeMargin, minimumAwake, maxTransitionsPerHour, alwaysOn (repeat it for"
                        + " several windows; empty clears them), tune."})
final class ScheduleCommand implements Runnable {

    private static final String[] FIELDS = {"kind", "hibernateBelow", "hibernateAfter", "wakeAbove", "wakeMargin",
        "minimumAwake", "maxTransitionsPerHour", "alwaysOn", "tune"};
    private static final String[] TUNING = {"expectedCost", "coldStarts", "idleAwakeHours", "awakeHours", "candidates",
        "replayed", "coldStartPenalty", "idleAwakeHourCost", "tunedAt"};

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The VM's name.")
    String name;

    @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "Sets one policy field; repeatable.")
    List<String> sets = new ArrayList<>();

    @Override
    public void run() {
        ApiClient api = client.client(Cli.root(spec));
        String path = VmCommand.path(name) + "/schedule";
        JsonNode view = sets.isEmpty() ? api.get(path) : api.put(path, patch(sets));
        PrintWriter out = spec.commandLine().getOut();
        if (client.json) {
            Output.json(out, view);
            return;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"field", "policy", "in force", "tuned"});
        JsonNode tuned = view.path("tuned");
        for (String f : FIELDS) {
            lines.add(new String[] {f, text(view.path("policy").path(f)), text(view.path("effective").path(f)),
                text(tuned.path(f))});
        }
        for (String f : TUNING) {
            lines.add(new String[] {f, "", "", text(tuned.path(f))});
        }
        Output.table(out, lines);
        out.printf("mode: %s%n", view.path("mode").asText());
        JsonNode latest = view.path("latest");
        if (latest.isObject()) {
            out.printf("latest: %s (%s) at %s%s: %s%n", latest.path("action").asText(), latest.path("cause").asText(),
                    latest.path("at").asText(), latest.path("acted").asBoolean() ? "" : ", not acted on",
                    latest.path("reason").asText());
        }
        for (JsonNode d : view.path("decisions")) {
            out.printf("  %s %s%s: %s%n", d.path("at").asText(), d.path("action").asText(),
                    d.path("acted").asBoolean() ? "" : " (not acted on)", d.path("reason").asText());
        }
        out.flush();
    }

    /** The JSON body of {@code --set}s: numbers and booleans as such, alwaysOn as a list, the rest as text. */
    static ObjectNode patch(List<String> sets) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq < 1) {
                throw new CliException(Cli.USAGE, "--set " + set + " must be FIELD=VALUE, for example hibernateAfter=20m");
            }
            String field = set.substring(0, eq).strip();
            String value = set.substring(eq + 1).strip();
            if (field.equals("alwaysOn")) {
                ArrayNode windows = patch.has("alwaysOn") ? (ArrayNode) patch.get("alwaysOn") : patch.putArray("alwaysOn");
                if (!value.isEmpty()) {
                    windows.add(value);
                }
            } else if (value.equals("true") || value.equals("false")) {
                patch.put(field, Boolean.parseBoolean(value));
            } else if (value.matches("[-+]?[0-9]+")) {
                patch.put(field, Long.parseLong(value));
            } else if (value.matches("[-+]?[0-9]*\\.[0-9]+([eE][-+]?[0-9]+)?")) {
                patch.put(field, Double.parseDouble(value));
            } else {
                patch.put(field, value);
            }
        }
        return patch;
    }

    private static String text(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return items.isEmpty() ? "-" : String.join("; ", items);
        }
        if (v.isDouble()) {
            double d = v.asDouble();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d) : String.format(java.util.Locale.ROOT, "%.4g", d);
        }
        return v.asText();
    }
}
