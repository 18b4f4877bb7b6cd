package io.dormouse.cli;

import io.dormouse.api.ApiToken;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.ListenAddress;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a client command reaches the server: {@code --api} or {@code DORMOUSE_API}, else the
 * configured listen address; the token from {@code DORMOUSE_TOKEN}, else the data directory.
 */
final class ClientOptions {

    @Option(names = "--api", paramLabel = "URL", description = "Server API URL (default: $DORMOUSE_API, else http:// + api.listen).")
    String api;

    @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
    boolean json;

    ApiClient client(Cli.Root root) {
        DormouseConfig config = root.config(Map.of());
        String base = api != null ? api : env("DORMOUSE_API");
        if (base == null) {
            ListenAddress listen = config.api().listen();
            String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
            base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.port();
        }
        return new ApiClient(base, () -> token(config));
    }

    private static String token(DormouseConfig config) {
        String token = env("DORMOUSE_TOKEN");
        if (token != null) {
            return token;
        }
        if (config.api().token().isSet()) {
            return config.api().token().value();
        }
        try {
            return ApiToken.read(config.dataDir().toAbsolutePath().normalize());
        } catch (UncheckedIOException e) {
            throw new CliException(Cli.USAGE, e.getMessage());
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }

}
