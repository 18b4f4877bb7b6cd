package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dormouse vm create|start|stop|hibernate|wake|terminate}: lifecycle moves. Each answers at once
 * with the VM as its transition began; {@code --wait} follows the VM until the transition ends and says
 * how it ended and how long it took.
 */
final class VmMoves {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> IN_TRANSITION = Set.of("provisioning", "hibernating", "restoring", "stopping");
    private static final Duration WAIT_LIMIT = Duration.ofMinutes(10);

    private VmMoves() {
    }

    /** The shared part of every move: the VM's name, {@code --wait}, and following the VM to the end. */
    abstract static class Move implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME", description = "The VM's name.")
        String name;

        @Option(names = "--wait", description = "Wait until the transition ends; show its progress and outcome.")
        boolean await;

        private final String action;
        private final String target;

        /**
         * @param action the API path to POST, relative to the VM
         * @param target the state the move ends in when it succeeds
         */
        Move(String action, String target) {
            this.action = action;
            this.target = target;
        }

        String action() {
            return action;
        }

        String target() {
            return target;
        }

        Object body() {
            return Map.of();
        }

        String path() {
            return VmCommand.path(name) + "/" + action();
        }

        /**
         * True when the server should hold the request until the move ends: a wake joins a restore that
         * may not have begun when the request is answered, so following the VM's state cannot tell.
         */
        boolean waitOnServer() {
            return false;
        }

        @Override
        public void run() {
            ApiClient api = client.client(Cli.root(spec));
            long started = System.nanoTime();
            PrintWriter out = spec.commandLine().getOut();
            if (await && waitOnServer() && !client.json) {
                out.println(name + ": " + action() + " requested");
                out.flush();
            }
            JsonNode vm = api.post(path() + (await && waitOnServer() ? "?wait=true" : ""), body());
            if (!await) {
                print(out, vm);
                return;
            }
            String shown = vm.path("state").asText();
            if (!client.json) {
                out.println(name + ": " + shown);
                out.flush();
            }
            long deadline = started + WAIT_LIMIT.toNanos();
            while (IN_TRANSITION.contains(vm.path("state").asText()) && System.nanoTime() < deadline) {
                sleep();
                vm = api.get(VmCommand.path(name));
                if (!client.json && !vm.path("state").asText().equals(shown)) {
                    shown = vm.path("state").asText();
                    out.println(name + ": " + shown);
                    out.flush();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String state = vm.path("state").asText();
            if (client.json) {
                print(out, vm);
            } else if (state.equals(target())) {
                out.printf("%s is %s after %.2f s%n", name, state, seconds);
                out.flush();
            }
            if (!state.equals(target())) {
                JsonNode events = api.get(VmCommand.path(name) + "/events");
                String error = events.isEmpty() ? "" : events.get(events.size() - 1).path("error").asText("");
                throw new CliException(Cli.SERVER_ERROR, String.format("%s did not become %s: it is %s after %.2f s%s",
                        name, target(), state, seconds, error.isEmpty() ? "" : " (" + error + ")"));
            }
        }

        private void print(PrintWriter out, JsonNode vm) {
            if (client.json) {
                Output.json(out, vm);
            } else {
                Output.table(out, new ObjectMapper().createArrayNode().add(vm), "name", "state", "address",
                        "frontAddress", "snapshotVersion");
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(Cli.INTERNAL, "interrupted");
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a VM and boots it.", "Give a spec file (YAML or JSON), --demo, or --kernel with flags."})
    static final class Create extends Move {

        @ArgGroup(exclusive = true)
        Source source;

        static final class Source {
            @Option(names = "--demo", description = "The demo guest (guest/build writes it to <data-dir>/images/demo).")
            boolean demo;

            @Option(names = "--spec", paramLabel = "FILE", description = "A spec file, YAML or JSON (see docs/vm.md).")
            Path file;

            @Option(names = "--kernel", paramLabel = "FILE", description = "The kernel to boot (with the flags below).")
            String kernel;
        }

        @Option(names = "--initrd", paramLabel = "FILE", description = "The initramfs, with --kernel.")
        String initrd;

        @Option(names = "--cmdline", description = "The kernel command line, with --kernel.")
        String cmdline;

        @Option(names = "--vcpus", defaultValue = "1", description = "Virtual CPUs, with --kernel (default: ${DEFAULT-VALUE}).")
        int vcpus;

        @Option(names = "--memory-mib", defaultValue = "128", description = "Guest RAM in MiB, with --kernel (default: ${DEFAULT-VALUE}).")
        long memoryMib;

        @Option(names = "--port", split = ",", description = "Guest TCP ports, with --kernel; the first tells readiness.")
        List<Integer> ports;

        @Option(names = "--priority", description = "0-1000; higher is served first when room is short.")
        Integer priority;

        @Option(names = "--sla", description = "gold, standard or bronze.")
        String sla;

        Create() {
            super("", "running");
        }

        @Override
        String path() {
            return "/v1/vms";
        }

        @Override
        Object body() {
            ObjectNode body = YAML.createObjectNode().put("name", name);
            if (source == null) {
                throw new CliException(Cli.USAGE, "give --demo, --spec FILE or --kernel FILE");
            }
            if (source.demo) {
                body.put("demo", true);
                if (priority != null) {
                    body.put("priority", priority);
                }
                if (sla != null) {
                    body.put("slaClass", sla);
                }
                return body;
            }
            ObjectNode spec = source.file != null ? read(source.file) : YAML.createObjectNode()
                    .put("vcpus", vcpus).put("memoryMib", memoryMib).put("kernel", source.kernel)
                    .put("initrd", initrd).put("cmdline", cmdline);
            if (source.file == null) {
                ArrayNode list = spec.putArray("ports");
                (ports == null ? List.of(80) : ports).forEach(list::add);
            }
            if (priority != null) {
                spec.put("priority", priority);
            }
            if (sla != null) {
                spec.put("slaClass", sla);
            }
            body.set("spec", spec);
            return body;
        }

        private static ObjectNode read(Path file) {
            try {
                JsonNode spec = YAML.readTree(Files.readString(file));
                if (spec == null || !spec.isObject()) {
                    throw new CliException(Cli.USAGE, "spec file " + file + " must hold a mapping of fields such as"
                            + " vcpus, memoryMib, kernel, ports");
                }
                return (ObjectNode) spec;
            } catch (IOException e) {
                throw new CliException(Cli.USAGE, "cannot read spec file " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Boots a stopped or failed VM afresh.")
    static final class Start extends Move {
        Start() {
            super("start", "running");
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Shuts a running VM down (its memory is not kept).")
    static final class Stop extends Move {
        Stop() {
            super("stop", "stopped");
        }
    }

    @Command(name = "hibernate", mixinStandardHelpOptions = true,
            description = "Saves a running VM as its next snapshot version and ends its process.")
    static final class Hibernate extends Move {
        Hibernate() {
            super("hibernate", "hibernated");
        }
    }

    @Command(name = "wake", mixinStandardHelpOptions = true, description = "Restores a hibernated VM from its newest version.")
    static final class Wake extends Move {
        Wake() {
            super("wake", "running");
        }

        @Override
        boolean waitOnServer() {
            return true;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restores a hibernated or failed VM from a given version.")
    static final class Restore extends Move {
        @Parameters(index = "1", paramLabel = "VERSION", description = "The snapshot version ('dormouse snapshot list NAME').")
        long version;

        Restore() {
            super("restore", "running");
        }

        @Override
        Object body() {
            return Map.of("version", version);
        }
    }

    @Command(name = "terminate", mixinStandardHelpOptions = true,
            description = "Forgets a hibernated, stopped or failed VM for good (its journal stays).")
    static final class Terminate extends Move {
        Terminate() {
            super("terminate", "terminated");
        }
    }
}
