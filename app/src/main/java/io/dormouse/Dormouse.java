package io.dormouse;

import io.dormouse.cli.Cli;
import io.dormouse.config.ConfigReader;
import io.dormouse.config.DormouseConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code dormouse} command: server and CLI in one. */
@Command(name = "dormouse", mixinStandardHelpOptions = true, versionProvider = Dormouse.VersionProvider.class,
        description = "Hibernates idle virtual machines and wakes them through DNS.",
        footer = {"", "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 the server answered with an error,",
                "4 the server is unreachable, 5 invalid configuration."})
public final class Dormouse implements Runnable, Cli.Root {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Configuration file (default: ./dormouse.yaml if present, or $DORMOUSE_CONFIG).")
    Path configFile;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Data directory (key data-dir, default ./dormouse-data).")
    Path dataDir;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "Log line format (key log.format, default text).")
    String logFormat;

    public static void main(String[] args) {
        System.exit(Cli.commandLine(new Dormouse()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Override
    public DormouseConfig config(Map<String, String> flags) {
        Map<String, String> all = new HashMap<>(flags);
        if (dataDir != null) {
            all.put("data-dir", dataDir.toString());
        }
        if (logFormat != null) {
            all.put("log.format", logFormat);
        }
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(System.getenv("DORMOUSE_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
        return ConfigReader.withEnvironment(System.getenv()).read(file, all);
    }

    /** Answers {@code --version} with this build's version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dormouse " + Version.current()};
        }
    }
}
