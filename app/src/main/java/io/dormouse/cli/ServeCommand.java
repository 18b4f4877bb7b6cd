package io.dormouse.cli;

import io.dormouse.Server;
import io.dormouse.config.DormouseConfig;
import io.dormouse.telemetry.LogOutput;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dormouse serve}: runs the server in the foreground until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the dormouse server (REST API, DNS, VM manager) in the foreground.")
final class ServeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--api-listen", paramLabel = "HOST:PORT", description = "REST API address (key api.listen).")
    String apiListen;

    @Option(names = "--dns-listen", paramLabel = "HOST:PORT", description = "DNS address (key dns.listen).")
    String dnsListen;

    @Option(names = "--zone", paramLabel = "ZONE", description = "DNS zone (key dns.zone).")
    String zone;

    @Option(names = "--db-url", paramLabel = "JDBC-URL", description = "State database (key database.url).")
    String dbUrl;

    @Override
    public void run() {
        Map<String, String> flags = new HashMap<>();
        put(flags, "api.listen", apiListen);
        put(flags, "dns.listen", dnsListen);
        put(flags, "dns.zone", zone);
        put(flags, "database.url", dbUrl);
        DormouseConfig config = Cli.root(spec).config(flags);
        LogOutput.configure(config.log());
        CountDownLatch stopped = new CountDownLatch(1);
        Server server = Server.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dormouse-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
