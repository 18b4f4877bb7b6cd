package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dormouse snapshot}: a VM's saved state versions, their verification, and garbage collection. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Lists, verifies and collects snapshot versions.",
        subcommands = {SnapshotCommand.List.class, SnapshotCommand.Verify.class, SnapshotCommand.Gc.class})
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

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Reads and checks every chunk of a VM's versions (or of one version).",
                    "A damaged chunk is named with its pack and offset; the exit code is 3 when any version fails."})
    static final class Verify implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME", description = "The VM's name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "One version (default: all).")
        Long version;

        @Override
        public void run() {
            ApiClient api = client.client(Cli.root(spec));
            JsonNode results = version != null ? verify(api, version, false) : verifyEach(api);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json) {
                Output.json(out, results);
            } else {
                Output.table(out, results, "version", "ok", "chunks", "bytes", "holeBytes", "error");
            }
            long chunks = 0;
            long bytes = 0;
            int failed = 0;
            for (JsonNode r : results) {
                chunks += r.path("chunks").asLong();
                bytes += r.path("bytes").asLong();
                failed += r.path("ok").asBoolean() ? 0 : 1;
            }
            if (!client.json) {
                out.println("verified " + results.size() + " version(s) of " + name + ": " + chunks + " chunks, "
                        + bytes + " bytes read" + (failed == 0 ? ", all intact" : ", " + failed + " FAILED"));
                out.flush();
            }
            if (failed > 0) {
                throw new CliException(Cli.SERVER_ERROR, failed + " version(s) of " + name + " failed verification");
            }
        }

        private JsonNode verify(ApiClient api, long v, boolean midLine) {
            return withProgress(api, spec, VmCommand.path(name) + "/snapshots/" + v + "/verify", midLine);
        }

        /** One version at a time, each announced on standard error, so a long verification shows how far it is. */
        private JsonNode verifyEach(ApiClient api) {
            JsonNode recorded = api.get(VmCommand.path(name) + "/snapshots");
            if (recorded.isEmpty()) {
                return withProgress(api, spec, VmCommand.path(name) + "/snapshots/verify", false);
            }
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            PrintWriter err = spec.commandLine().getErr();
            int i = 0;
            for (JsonNode row : recorded) {
                long v = row.path("version").asLong();
                long started = System.nanoTime();
                err.printf("verifying %s version %d (%d of %d)...", name, v, ++i, recorded.size());
                err.flush();
                JsonNode result = verify(api, v, true);
                result.forEach(all::add);
                err.printf(" %s in %d ms%n", result.path(0).path("ok").asBoolean() ? "intact" : "FAILED",
                        (System.nanoTime() - started) / 1_000_000);
                err.flush();
            }
            return all;
        }
    }

    /** POSTs to {@code path} while a {@link ProgressLine} on standard error shows how far the server is. */
    static JsonNode withProgress(ApiClient api, CommandSpec spec, String path, boolean midLine) {
        String token = ProgressLine.newToken(new SecureRandom());
        try (ProgressLine line = new ProgressLine(ProgressLine.snapshots(api), token, spec.commandLine().getErr(),
                ProgressLine.INTERVAL, midLine)) {
            return api.post(path + "?progress=" + token, Map.of());
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Deletes versions the retention policy does not keep, then packs no version needs.")
    static final class Gc implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            JsonNode report = withProgress(client.client(Cli.root(spec)), spec, "/v1/snapshots/gc", false);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json) {
                Output.json(out, report);
                return;
            }
            out.println("deleted " + report.path("deletedVersions").size() + " version(s), "
                    + report.path("packsDeleted").asInt() + " pack(s); repacked " + report.path("packsRepacked").asInt()
                    + " into " + report.path("packsWritten").asInt() + "; " + report.path("bytesFreed").asLong()
                    + " bytes freed; " + report.path("unfinishedRemoved").asInt() + " unfinished write(s) removed");
            out.flush();
        }
    }
}
