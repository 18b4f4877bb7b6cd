package io.dormouse.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dormouse image}: guest images the server boots. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Builds guest images.",
        subcommands = ImageCommand.Build.class)
final class ImageCommand extends GroupCommand {

    /** {@code dormouse image build}: runs the repository's guest/build recipe for the demo guest. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Builds the demo guest (kernel and initrd) into DATA-DIR/images/demo; quick when up to date.")
    static final class Build implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--output", paramLabel = "DIR", description = "Where to write it (default DATA-DIR/images/demo).")
        Path output;

        @Option(names = "--recipe", paramLabel = "FILE", description = "The guest/build script (default: found"
                + " above the working directory or the dormouse jar).")
        Path recipe;

        @Override
        public void run() {
            Path target = output != null ? output
                    : Cli.root(spec).config(Map.of()).dataDir().resolve("images").resolve("demo");
            Path script = recipe != null ? recipe : findRecipe();
            PrintWriter out = spec.commandLine().getOut();
            out.println("building the demo guest image into " + target + " with " + script);
            out.flush();
            long started = System.nanoTime();
            try {
                Process build = new ProcessBuilder(script.toString(), target.toString()).inheritIO().start();
                int status = build.waitFor();
                if (status != 0) {
                    throw new CliException(Cli.INTERNAL, script + " failed with exit status " + status);
                }
            } catch (java.io.IOException e) {
                throw new CliException(Cli.INTERNAL, "cannot run " + script + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(Cli.INTERNAL, "interrupted while building the image");
            }
            out.printf("demo guest image ready in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, target);
            out.flush();
        }

        private static Path findRecipe() {
            for (Path start : new Path[] {Path.of("").toAbsolutePath(), jarDirectory()}) {
                if (start == null) {
                    continue;
                }
                for (Path dir = start; dir != null; dir = dir.getParent()) {
                    Path candidate = dir.resolve("guest").resolve("build");
                    if (Files.isExecutable(candidate)) {
                        return candidate;
                    }
                }
            }
            throw new CliException(Cli.USAGE, "guest/build not found above the working directory or the dormouse"
                    + " jar; give it with --recipe");
        }

        private static Path jarDirectory() {
            try {
                return Path.of(ImageCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toAbsolutePath().getParent();
            } catch (URISyntaxException | SecurityException | NullPointerException e) {
                return null;
            }
        }
    }
}
