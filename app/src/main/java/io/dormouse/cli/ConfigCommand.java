package io.dormouse.cli;

import io.dormouse.config.ConfigReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dormouse config}: what the server would run with. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Shows the effective configuration.",
        subcommands = ConfigCommand.Show.class)
final class ConfigCommand extends GroupCommand {

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the effective configuration (defaults, file, DORMOUSE_* variables) as YAML, secrets masked.")
    static final class Show implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(ConfigReader.toYaml(Cli.root(spec).config(java.util.Map.of()), false));
            spec.commandLine().getOut().flush();
        }
    }
}
