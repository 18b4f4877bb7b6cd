package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dormouse vm bandwidth NAME [LIMIT]}: shows or changes a VM's bandwidth limit at the front door. */
@Command(name = "bandwidth", mixinStandardHelpOptions = true,
        description = "Shows a VM's bandwidth limit at the TCP front door, or sets it (takes effect at once,"
                + " on open connections too).")
final class BandwidthCommand implements Runnable {

    private static final Pattern LIMIT = Pattern.compile("(\\d+)([kmg]?)");

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "NAME", description = "The VM's name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LIMIT",
            description = "Bytes per second, both directions together, with an optional suffix k, M or G"
                    + " (powers of 1024); 0 = unlimited.")
    String limit;

    @Override
    public void run() {
        ApiClient api = client.client(Cli.root(spec));
        String path = VmCommand.path(name) + "/bandwidth";
        JsonNode answer = limit == null ? api.get(path)
                : api.put(path, Map.of("bytesPerSecond", bytesPerSecond(limit)));
        if (client.json) {
            Output.json(spec.commandLine().getOut(), answer);
        } else {
            Output.table(spec.commandLine().getOut(), JsonNodeFactory.instance.arrayNode().add(answer),
                    "name", "bytesPerSecond");
        }
    }

    static long bytesPerSecond(String text) {
        Matcher m = LIMIT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliException(Cli.USAGE, "LIMIT must be bytes per second such as 1048576 or 1M (suffixes k, M, G;"
                    + " 0 = unlimited), got '" + text + "'");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CliException(Cli.USAGE, "LIMIT " + text + " is too large; at most " + Long.MAX_VALUE);
        }
    }
}
