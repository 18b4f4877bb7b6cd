package io.dormouse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dormouse snapshot}: a VM's saved state versions. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Lists a VM's snapshot versions.",
        subcommands = SnapshotCommand.List.class)
final class SnapshotCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the snapshot versions of a VM.")
    static final class List extends Listing {
        @Parameters(paramLabel = "NAME", description = "The VM's name.")
        String name;

        @Override
        String path() {
            return VmCommand.path(name) + "/snapshots";
        }

        @Override
        String[] columns() {
            return new String[] {"version", "parentVersion", "createdAt", "totalBytes", "newBytes", "location"};
        }
    }
}
