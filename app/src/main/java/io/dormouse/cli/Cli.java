package io.dormouse.cli;

import io.dormouse.config.ConfigException;
import io.dormouse.config.DormouseConfig;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/** Assembles the command tree and maps failures to exit codes and one clear line on standard error. */
public final class Cli {

    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int SERVER_ERROR = 3;
    public static final int UNREACHABLE = 4;
    public static final int BAD_CONFIG = 5;

    private Cli() {
    }

    /** The root command's access to the effective configuration. */
    public interface Root {
        /** The configuration from defaults, file, environment and the given flags (by dotted key). */
        DormouseConfig config(Map<String, String> flags);
    }

    public static CommandLine commandLine(Root root) {
        CommandLine cl = new CommandLine(root)
                .addSubcommand(new ServeCommand())
                .addSubcommand(new VersionCommand())
                .addSubcommand(new ConfigCommand())
                .addSubcommand(new VmCommand())
                .addSubcommand(new SnapshotCommand())
                .addSubcommand(new ForecastCommand())
                .addSubcommand(new EventCommand())
                .addSubcommand(new HostCommand())
                .addSubcommand(new ImageCommand())
                .addSubcommand(new SimulateCommand())
                .addSubcommand("completion", new AutoComplete.GenerateCompletion());
        cl.getSubcommands().get("completion").getCommandSpec().usageMessage()
                .description("Prints a bash/zsh completion script: source <(dormouse completion)");
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(e));
            return switch (e) {
                case CliException c -> c.exitCode();
                case ConfigException c -> BAD_CONFIG;
                default -> INTERNAL;
            };
        });
        return cl;
    }

    private static String message(Exception e) {
        if (e instanceof CliException || e instanceof ConfigException) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    static Root root(CommandLine.Model.CommandSpec spec) {
        return (Root) spec.root().userObject();
    }
}
