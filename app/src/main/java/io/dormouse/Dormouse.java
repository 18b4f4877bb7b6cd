package io.dormouse;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dormouse} command: server and CLI in one. */
@Command(name = "dormouse", mixinStandardHelpOptions = true,
        description = "Hibernates idle virtual machines and wakes them through DNS.")
public final class Dormouse implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Dormouse()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
