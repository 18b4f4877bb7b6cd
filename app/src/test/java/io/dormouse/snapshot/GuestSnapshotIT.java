package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3ProxyServer;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.qemu.QmpClient;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo guest's real RAM and a real qcow2 disk through the snapshot store: the guest boots under
 * QEMU (TCG) with its RAM in a file, serves requests (one of whose URLs carries a marker), is
 * stopped and its RAM copied; then runs idle a few seconds and is stopped again. Both copies go
 * into a file store and into S3Proxy and must come back byte for byte, the idle second version
 * must cost at most a tenth of the first, and the marker must appear in no stored file.
 */
class GuestSnapshotIT {

    private static final Duration QMP = Duration.ofSeconds(10);
    private static final String MARKER = "dormouse-secret-marker-4d9e2b";
    private static final Path GUEST = Path.of("target", "guest-image");

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @TempDir
    static Path dir;

    private static SavedState first;
    private static SavedState second;

    @BeforeAll
    static void hibernateTheDemoGuestTwice() throws Exception {
        Path qemu = program("qemu-system-x86_64", "qemu-system-x86");
        Path qemuImg = program("qemu-img", "qemu-utils");
        Path qemuIo = program("qemu-io", "qemu-utils");
        buildGuest();
        Path disk = dir.resolve("disk0.qcow2");
        run(qemuImg.toString(), "create", "-q", "-f", "qcow2", disk.toString(), "64M");
        run(qemuIo.toString(), "-c", "write -P 0x5a 0 4M", "-c", "write -P 0xa5 20M 1M", disk.toString());
        Path ram = dir.resolve("ram");
        Path socket = dir.resolve("qmp.sock");
        int port = freePort();
        Process guest = new ProcessBuilder(qemu.toString(), "-accel", "tcg", "-nodefaults", "-display", "none",
                "-machine", "q35,memory-backend=ram0", "-m", "128",
                "-object", "memory-backend-file,id=ram0,size=128M,mem-path=" + ram + ",share=on",
                "-kernel", GUEST.resolve("vmlinuz").toString(), "-initrd", GUEST.resolve("initrd.img").toString(),
                "-append", "console=ttyS0 quiet no_timer_check",
                "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:80",
                "-device", "virtio-net-pci,netdev=n0,romfile=",
                "-serial", "file:" + dir.resolve("console.log"),
                "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            awaitReady(guest);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 5; i++) {
                get(http, port, "/cgi-bin/count");
                get(http, port, "/" + MARKER + "-" + i);
            }
            try (QmpClient qmp = QmpClient.connect(socket, QMP)) {
                qmp.execute("stop", QMP);
                Files.copy(ram, dir.resolve("ram-1"), StandardCopyOption.REPLACE_EXISTING);
                qmp.execute("cont", QMP);
                Thread.sleep(5_000);
                qmp.execute("stop", QMP);
                Files.copy(ram, dir.resolve("ram-2"), StandardCopyOption.REPLACE_EXISTING);
                qmp.execute("quit", QMP);
            }
        } finally {
            guest.destroyForcibly();
            guest.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(GuestImages.indexOf(Files.readAllBytes(dir.resolve("ram-1")), MARKER.getBytes(StandardCharsets.US_ASCII)))
                .as("the marker reached guest RAM (else the encryption check below would prove nothing)")
                .isNotNegative();
        first = state(dir.resolve("ram-1"), disk);
        second = state(dir.resolve("ram-2"), disk);
    }

    @Test
    void onTheFileSystem() throws Exception {
        Path root = dir.resolve("file-store");
        try (BlobStore blobs = FileBlobStore.open(root)) {
            checkStore(blobs, root, "file");
        }
    }

    @Test
    void onS3Proxy() throws Exception {
        try (BlobStore blobs = S3BlobStore.open(server.newBucket("guest"))) {
            checkStore(blobs, server.root(), "s3");
        }
    }

    private static void checkStore(BlobStore blobs, Path files, String name) throws Exception {
        SnapshotStore store = SnapshotStore.open(blobs, new SnapshotSettings(16 << 10, 16 << 20, true,
                dir.resolve(name + ".key"), null), InstantSource.system());
        Version v1 = store.commit(1, first, OptionalLong.empty());
        Version v2 = store.commit(1, second, OptionalLong.of(v1.number()));

        double share = 100.0 * v2.storedBytes() / v1.storedBytes();
        System.out.printf("%s: first hibernation wrote %d bytes (%d new of %d), the idle second %d (%.2f %%)%n", name,
                v1.storedBytes(), v1.newBytes(), v1.totalBytes(), v2.storedBytes(), share);
        assertThat(share).as("second hibernation of an idle guest, %% of the first's bytes").isLessThanOrEqualTo(10.0);
        assertSame(store.materialize(1, v1.number(), dir.resolve(name + "-v1")), first);
        assertSame(store.materialize(1, v2.number(), dir.resolve(name + "-v2")), second);
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> stored = Files.walk(files)) {
            for (Path file : stored.filter(Files::isRegularFile).toList()) {
                assertThat(GuestImages.indexOf(Files.readAllBytes(file), marker)).as("marker in %s", file).isNegative();
            }
        }
    }

    private static void assertSame(SavedState back, SavedState original) throws IOException {
        for (int i = 0; i < original.parts().size(); i++) {
            assertThat(Files.mismatch(back.parts().get(i).file(), original.parts().get(i).file()))
                    .as("part %s", original.parts().get(i).name()).isEqualTo(-1L);
        }
    }

    private static SavedState state(Path ram, Path disk) throws IOException {
        return new SavedState(List.of(
                new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, Files.size(ram)),
                new SavedState.Part("disk0", disk, SavedState.Layout.PAGE_ALIGNED, Files.size(disk))),
                "qemu-system-x86_64", "demo-guest-q35-128M", Duration.ZERO);
    }

    /** Builds the demo guest once into target/guest-image; the recipe does nothing when it is up to date. */
    private static synchronized void buildGuest() throws Exception {
        Path recipe = Path.of("..", "guest", "build");
        if (!Files.isExecutable(recipe)) {
            fail("the demo guest recipe " + recipe.toAbsolutePath().normalize() + " is missing");
        }
        run(recipe.toString(), GUEST.toString());
    }

    private static void awaitReady(Process guest) throws Exception {
        Path console = dir.resolve("console.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!guest.isAlive()) {
                fail("QEMU exited with " + guest.exitValue() + ": " + Files.readString(dir.resolve("qemu.log")));
            }
            if (Files.exists(console) && Files.readString(console, StandardCharsets.ISO_8859_1).contains("dormouse-guest ready")) {
                return;
            }
            Thread.sleep(200);
        }
        fail("the demo guest did not print 'dormouse-guest ready' within 240 s; console: "
                + (Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "(none)"));
    }

    private static void get(HttpClient http, int port, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static Path program(String name, String debianPackage) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst()
                .orElseGet(() -> fail(name + " is not on the PATH: install the Debian package " + debianPackage
                        + " (apt-get install " + debianPackage + ")"));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
