package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.Version;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dormouse version}: this client's version and the server's, asked through the API. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the client and server versions.")
final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        ApiClient api = client.client(Cli.root(spec));
        PrintWriter out = spec.commandLine().getOut();
        if (!client.json) {
            out.println("client  " + Version.current());
            out.flush();
        }
        JsonNode server = api.get("/v1/version");
        if (client.json) {
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("client", Map.of("version", Version.current()));
            both.put("server", server);
            Output.json(out, both);
            return;
        }
        out.println("server  " + server.path("version").asText() + " at " + api.base()
                + " (Java " + server.path("java").asText() + ", started " + server.path("startedAt").asText() + ")");
        out.flush();
    }
}
