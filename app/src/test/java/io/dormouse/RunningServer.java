package io.dormouse;

import io.dormouse.config.ConfigReader;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.Secret;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A server started in process for a test: defaults, a data directory of the test's, any free API port. */
public final class RunningServer implements AutoCloseable {

    private final Path dataDir;
    private Server server;

    private RunningServer(Path dataDir, Server server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static RunningServer start(Path dataDir) {
        return new RunningServer(dataDir, Server.start(config(dataDir, Secret.NONE)));
    }

    /** The defaults with this data directory, the API and DNS on any free port, and the given token. */
    public static DormouseConfig config(Path dataDir, Secret token) {
        return ConfigReader.withEnvironment(Map.of()).read(Optional.empty(), Map.of(
                "data-dir", dataDir.toString(),
                "api.listen", "127.0.0.1:0",
                "api.token", token.value(),
                "dns.listen", "127.0.0.1:0",
                "vm.hypervisor", "fake"));
    }

    /** Stand-ins for the demo guest's kernel and initramfs under {@code dataDir}: the fake hypervisor never reads them. */
    public static void fakeDemoImages(Path dataDir) throws IOException {
        Path images = Files.createDirectories(dataDir.resolve("images/demo"));
        Files.writeString(images.resolve("vmlinuz"), "not a kernel: the fake hypervisor never reads it");
        Files.writeString(images.resolve("initrd.img"), "not an initramfs");
    }

    public int dnsPort() {
        return server.dnsPort();
    }

    public String api() {
        return "http://127.0.0.1:" + server.apiPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Changes the server's database directly, as another process sharing the SQLite file would. */
    public void withState(Consumer<StateStore> change) {
        try (StateStore store = StateStore.open(DatabaseSettings.sqlite(dataDir.resolve("state.db")))) {
            change.accept(store);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
