package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.blob.ForwardingBlobStore;
import io.dormouse.blob.S3BlobStore;
import io.dormouse.blob.S3ProxyServer;
import io.dormouse.blob.S3Settings;
import io.dormouse.hypervisor.SavedState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot store when things go wrong: an S3 endpoint that is down or goes down mid-commit,
 * wrong credentials, a missing bucket, a full disk. Each gives an error that names the cause, and
 * none leaves a version behind that was not wholly written.
 */
class SnapshotBadConditionsIT {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @TempDir
    Path dir;

    private SnapshotSettings settings(String name) {
        return new SnapshotSettings(16 << 10, 1 << 20, true, dir.resolve(name + ".key"), null);
    }

    private SavedState image(String name, int mib, long seed) throws Exception {
        byte[] bytes = new byte[mib << 20];
        new Random(seed).nextBytes(bytes);
        Path file = Files.write(dir.resolve(name), bytes);
        return new SavedState(List.of(new SavedState.Part("ram", file, SavedState.Layout.PAGE_ALIGNED, bytes.length)),
                "9.2.0", "sha256:m", Duration.ZERO);
    }

    private static S3Settings with(S3Settings s, URI endpoint, String bucket, String secret) {
        return new S3Settings(endpoint, s.region(), bucket, s.prefix(), s.accessKey(), secret);
    }

    @Test
    void anEndpointThatIsDownIsNamed() throws Exception {
        S3Settings good = server.newBucket("down");
        URI nothing = S3ProxyServer.nothingListening();
        try (BlobStore blobs = S3BlobStore.open(with(good, nothing, good.bucket(), good.secretKey()))) {
            assertThatThrownBy(() -> SnapshotStore.open(blobs, settings("down"), InstantSource.system()))
                    .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.FAILED))
                    .hasMessageContaining("opening the snapshot store")
                    .hasMessageContaining(nothing.getAuthority());
        }
    }

    @Test
    void wrongCredentialsAreRefusedWithTheStatus() throws Exception {
        S3Settings good = server.newBucket("creds");
        try (BlobStore blobs = S3BlobStore.open(good)) {
            SnapshotStore.open(blobs, settings("creds"), InstantSource.system())
                    .commit(1, image("creds", 2, 1), OptionalLong.empty());
        }
        try (BlobStore blobs = S3BlobStore.open(with(good, good.endpoint(), good.bucket(), "not-the-secret"))) {
            assertThatThrownBy(() -> SnapshotStore.open(blobs, settings("creds"), InstantSource.system()))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("bucket " + good.bucket());
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        S3Settings good = server.newBucket("exists");
        try (BlobStore blobs = S3BlobStore.open(with(good, good.endpoint(), "no-such-bucket", good.secretKey()))) {
            assertThatThrownBy(() -> SnapshotStore.open(blobs, settings("missing"), InstantSource.system()))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("bucket no-such-bucket")
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void anEndpointGoingDownMidCommitLeavesNoVersionAndGcCleansUp() throws Exception {
        S3Settings s3 = server.newBucket("outage");
        SavedState state = image("outage", 24, 2);
        AtomicInteger packs = new AtomicInteger();
        try (BlobStore blobs = new PausingStore(S3BlobStore.open(s3), () -> {
            if (packs.incrementAndGet() == 3) {
                server.pause();
            }
        })) {
            SnapshotStore store = SnapshotStore.open(blobs, settings("outage"), InstantSource.system());
            assertThatThrownBy(() -> store.commit(1, state, OptionalLong.empty()))
                    .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.FAILED))
                    .hasMessageContaining("committing a version of VM 1 failed")
                    .hasMessageContaining(s3.endpoint().getAuthority());
        } finally {
            server.resume();
        }
        try (BlobStore blobs = S3BlobStore.open(s3)) {
            InstantSource later = () -> Instant.now().plus(Duration.ofHours(2));
            SnapshotStore store = SnapshotStore.open(blobs, settings("outage"), later);
            assertThat(store.versions(1)).isEmpty();
            assertThat(blobs.list("packs/")).as("packs written before the outage").isNotEmpty();

            store.gc(new Retention(1, 0, 0), Duration.ofHours(1));

            assertThat(blobs.list("packs/")).isEmpty();
            Version v = store.commit(1, state, OptionalLong.empty());
            assertThat(Files.mismatch(store.materialize(1, v.number(), dir.resolve("back")).parts().getFirst().file(),
                    state.parts().getFirst().file())).isEqualTo(-1L);
        }
    }

    @Test
    void aFullDiskFailsTheCommitClearlyAndLeavesNoVersion() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).strip();
        if (!mount.waitFor(30, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            fail("this test needs an 8 MiB file system to fill, made with 'mount -t tmpfs -o size=8m tmpfs DIR', which"
                    + " needs root (CAP_SYS_ADMIN); mounting failed: " + said);
        }
        try {
            SavedState big = image("big", 16, 3);
            try (BlobStore blobs = FileBlobStore.open(small.resolve("store"))) {
                SnapshotStore store = SnapshotStore.open(blobs, settings("full"), InstantSource.system());

                assertThatThrownBy(() -> store.commit(1, big, OptionalLong.empty()))
                        .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.FAILED))
                        .hasMessageContaining("committing a version of VM 1 failed")
                        .hasMessageContaining("No space left on device");
                assertThat(store.versions(1)).isEmpty();
                assertThat(blobs.list("manifests/")).isEmpty();
            }
            try (BlobStore blobs = FileBlobStore.open(small.resolve("store"))) {
                InstantSource later = () -> Instant.now().plus(Duration.ofHours(2));
                SnapshotStore store = SnapshotStore.open(blobs, settings("full"), later);
                GcReport report = store.gc(new Retention(1, 0, 0), Duration.ofHours(1));
                assertThat(blobs.list("packs/")).isEmpty();
                assertThat(report.packsDeleted()).isPositive();
                SavedState fits = image("fits", 2, 4);
                Version v = store.commit(1, fits, OptionalLong.empty());
                assertThat(store.verify(1, v.number()).bytes()).isEqualTo(2 << 20);
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A blob store that runs an action after each pack it has written, to fail the backend mid-commit. */
    private static final class PausingStore extends ForwardingBlobStore {
        interface Action {
            void run() throws Exception;
        }

        private final Action afterPack;

        PausingStore(BlobStore inner, Action afterPack) {
            super(inner);
            this.afterPack = afterPack;
        }

        @Override
        public void put(String key, byte[] content, int length) {
            inner.put(key, content, length);
            if (key.startsWith("packs/")) {
                try {
                    afterPack.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
