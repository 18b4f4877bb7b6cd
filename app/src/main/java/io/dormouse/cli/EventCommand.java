package io.dormouse.cli;

import picocli.CommandLine.Command;

/** {@code dormouse event}: calendar events that shape demand forecasts. */
@Command(name = "event", mixinStandardHelpOptions = true, description = "Lists calendar events used by forecasts.",
        subcommands = EventCommand.List.class)
final class EventCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists calendar events.")
    static final class List extends Listing {
        @Override
        String path() {
            return "/v1/events";
        }

        @Override
        String[] columns() {
            return new String[] {"id", "name", "kind", "schedule", "startsAt", "endsAt", "loadFactor", "vm"};
        }
    }
}
