package io.dormouse.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dormouse event}: calendar events that shape demand forecasts. */
@Command(name = "event", mixinStandardHelpOptions = true, description = "Manages calendar events used by forecasts.",
        subcommands = {EventCommand.List.class, EventCommand.Add.class, EventCommand.Remove.class})
final class EventCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists calendar events.")
    static final class List extends Listing {
        @Override
        String path() {
            return "/v1/events";
        }

        @Override
        String[] columns() {
            return new String[] {"id", "name", "kind", "schedule", "startsAt", "endsAt", "duration", "loadFactor", "vm"};
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a recurring or one-off event.",
                    "  dormouse event add backup --cron '0 2 * * *' --duration 1h --factor 3 --vm db-1",
                    "  dormouse event add sale --start 2026-11-27T00:00:00Z --end 2026-11-30T00:00:00Z --factor 2.5"})
    static final class Add implements Runnable {

        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Event name (one word); events of one name share a learned effect.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        When when;

        @Option(names = "--factor", required = true, paramLabel = "X",
                description = "Expected demand multiplier while the event lasts (below 1: less demand).")
        double factor;

        @Option(names = "--vm", paramLabel = "NAME", description = "The VM it applies to (default: the whole fleet).")
        String vm;

        static final class When {
            @ArgGroup(exclusive = false)
            Recurring recurring;

            @ArgGroup(exclusive = false)
            OneOff oneOff;
        }

        static final class Recurring {
            @Option(names = "--cron", required = true, paramLabel = "'M H DOM MON DOW'",
                    description = "Five-field cron schedule, UTC.")
            String cron;

            @Option(names = "--duration", required = true, paramLabel = "DURATION", description = "How long each firing lasts, e.g. 1h.")
            String duration;
        }

        static final class OneOff {
            @Option(names = "--start", required = true, paramLabel = "TIME", description = "RFC 3339 start, e.g. 2026-11-27T00:00:00Z.")
            String start;

            @Option(names = "--end", required = true, paramLabel = "TIME", description = "RFC 3339 end (exclusive).")
            String end;
        }

        @Override
        public void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("loadFactor", factor);
            if (vm != null) {
                body.put("vm", vm);
            }
            if (when.recurring != null) {
                body.put("cron", when.recurring.cron);
                body.put("duration", when.recurring.duration);
            } else {
                body.put("start", when.oneOff.start);
                body.put("end", when.oneOff.end);
            }
            var created = client.client(Cli.root(spec)).post("/v1/events", body);
            if (client.json) {
                Output.json(spec.commandLine().getOut(), created);
            } else {
                spec.commandLine().getOut().println("added event " + created.path("id").asText() + " (" + name + ")");
                spec.commandLine().getOut().flush();
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a calendar event by id.")
    static final class Remove implements Runnable {

        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "ID", description = "The event's id, as 'dormouse event list' shows it.")
        long id;

        @Override
        public void run() {
            client.client(Cli.root(spec)).delete("/v1/events/" + id);
            spec.commandLine().getOut().println("removed event " + id);
            spec.commandLine().getOut().flush();
        }
    }
}
