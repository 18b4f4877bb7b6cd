package io.dormouse.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dormouse vm}: the fleet's virtual machines. */
@Command(name = "vm", mixinStandardHelpOptions = true, description = "Lists and manages virtual machines.",
        subcommands = {VmMoves.Create.class, VmCommand.List.class, VmCommand.Show.class, VmMoves.Start.class,
                VmMoves.Stop.class, VmMoves.Hibernate.class, VmMoves.Wake.class, VmMoves.Restore.class,
                VmMoves.Terminate.class, VmCommand.Events.class, BandwidthCommand.class, SeriesCommands.Show.class,
                SeriesCommands.Import.class, ScheduleCommand.class})
final class VmCommand extends GroupCommand {

    static String path(String name) {
        return "/v1/vms/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the VMs and their states.")
    static final class List extends Listing {
        @Override
        String path() {
            return "/v1/vms";
        }

        @Override
        String[] columns() {
            return new String[] {"name", "state", "address", "frontAddress", "priority", "slaClass", "snapshotVersion"};
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one VM.")
    static final class Show extends Listing {
        @Parameters(paramLabel = "NAME", description = "The VM's name.")
        String name;

        @Override
        String path() {
            return VmCommand.path(name);
        }

        @Override
        String[] columns() {
            return new String[] {"name", "state", "healthy", "address", "frontAddress", "priority", "slaClass",
                "snapshotVersion", "hibernatedAt", "wakeEstimateMs", "updatedAt"};
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "Lists a VM's lifecycle transitions.")
    static final class Events extends Listing {
        @Parameters(paramLabel = "NAME", description = "The VM's name.")
        String name;

        @Override
        String path() {
            return VmCommand.path(name) + "/events";
        }

        @Override
        String[] columns() {
            return new String[] {"id", "from", "to", "reason", "startedAt", "durationMs", "outcome", "error"};
        }
    }
}
