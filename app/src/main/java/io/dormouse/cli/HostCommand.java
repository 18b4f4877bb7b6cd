package io.dormouse.cli;

import picocli.CommandLine.Command;

/** {@code dormouse host}: the machines VMs are placed on. */
@Command(name = "host", mixinStandardHelpOptions = true, description = "Lists hosts and their capacity.",
        subcommands = HostCommand.List.class)
final class HostCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists hosts and their capacity.")
    static final class List extends Listing {
        @Override
        String path() {
            return "/v1/hosts";
        }

        @Override
        String[] columns() {
            return new String[] {"name", "vcpus", "memoryMib", "netMbps", "heartbeatAt"};
        }
    }
}
