package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import io.dormouse.hypervisor.SavedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the snapshot store does over any blob store; one subclass per backend supplies an empty one. */
abstract class SnapshotStoreContract {

    private static final int BLOCK = 16 << 10;
    private static final int PACK = 1 << 20;
    private static final Retention KEEP_ALL = new Retention(1_000, 0, 0);

    @TempDir
    Path dir;

    protected BlobStore blobs;
    private Clock clock;
    private SnapshotStore store;

    /** A new blob store with no objects. */
    protected abstract BlobStore newBlobStore() throws Exception;

    /** A clock the test moves, starting now (blob stores stamp objects with real time). */
    static final class Clock implements InstantSource {
        private Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    @BeforeEach
    void open() throws Exception {
        blobs = newBlobStore();
        clock = new Clock();
        store = open(settings());
    }

    @AfterEach
    void close() {
        blobs.close();
    }

    private SnapshotSettings settings() {
        return new SnapshotSettings(BLOCK, PACK, true, dir.resolve("key"), dir.resolve("index"));
    }

    private SnapshotStore open(SnapshotSettings settings) {
        return SnapshotStore.open(blobs, settings, clock);
    }

    private SavedState sample(String name, long seed) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        return GuestImages.state(GuestImages.ram(d.resolve("ram.img"), 512, seed),
                GuestImages.stream(d.resolve("devices.bin"), 200_000, seed),
                GuestImages.ram(d.resolve("disk0.img"), 256, seed + 1));
    }

    private static void assertSameFiles(SavedState actual, SavedState expected) throws Exception {
        assertThat(actual.parts()).hasSameSizeAs(expected.parts());
        for (int i = 0; i < expected.parts().size(); i++) {
            SavedState.Part want = expected.parts().get(i);
            SavedState.Part got = actual.parts().get(i);
            assertThat(got.name()).isEqualTo(want.name());
            assertThat(got.layout()).isEqualTo(want.layout());
            assertThat(got.size()).isEqualTo(want.size());
            assertThat(Files.mismatch(got.file(), want.file())).as("part %s", want.name()).isEqualTo(-1L);
        }
    }

    @Test
    void packsOfTheFirstFormatNamedByTheHashOfAllTheirBytesStillRestoreAndVerify() throws Exception {
        SavedState state = sample("v1", 3);
        store.commit(7, state, OptionalLong.empty());
        List<String> formatOne = new ArrayList<>();
        for (BlobInfo pack : PackFormat.list(blobs)) {
            byte[] bytes = blobs.get(pack.key());
            bytes[PackFormat.MAGIC.length] = 1;
            String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            blobs.put(PackFormat.key(name), bytes);
            blobs.delete(pack.key());
            formatOne.add(PackFormat.key(name));
        }
        SnapshotStore reopened = open(settings());

        assertSameFiles(reopened.materialize(7, 1, dir.resolve("restore")), state);
        assertThat(reopened.verify(7, 1).chunks()).isPositive();
        byte[] damaged = blobs.get(formatOne.getFirst());
        damaged[damaged.length - PackFormat.FOOTER] ^= 4; // the key id in the footer: only the name covers it
        blobs.put(formatOne.getFirst(), damaged);
        assertThatThrownBy(() -> reopened.verify(7, 1)).isInstanceOfSatisfying(SnapshotException.class,
                e -> assertThat(e.getMessage()).contains(formatOne.getFirst()).contains("not to its name"));
    }

    @Test
    void aMultiPartStateComesBackByteForByte() throws Exception {
        SavedState state = sample("v1", 1);
        List<long[]> progress = new ArrayList<>();

        Version v1 = store.commit(7, state, OptionalLong.empty(), (done, total) -> progress.add(new long[] {done, total}));
        SavedState back = store.materialize(7, v1.number(), dir.resolve("restore"));

        assertSameFiles(back, state);
        assertThat(back.qemuVersion()).isEqualTo("7.2.19");
        assertThat(back.machineFingerprint()).isEqualTo("sha256:machine-args");
        assertThat(back.pausedFor()).isEqualTo(Duration.ofMillis(42));
        assertThat(back.parts().getFirst().file()).isEqualTo(dir.resolve("restore/ram"));
        assertThat(v1.number()).isEqualTo(1);
        assertThat(v1.parent()).isNull();
        assertThat(v1.totalBytes()).isEqualTo(state.totalBytes());
        assertThat(v1.newBytes()).isPositive().isLessThan(v1.totalBytes());
        assertThat(v1.createdAt()).isEqualTo(clock.instant());
        assertThat(v1.manifestKey()).isEqualTo("manifests/7/1");
        assertThat(progress.getLast()).containsExactly(state.totalBytes(), state.totalBytes());
        assertThat(progress).extracting(p -> p[0]).isSorted();
        assertThat(blobs.list("packs/")).isNotEmpty().allSatisfy(p -> assertThat(p.key()).matches("packs/([0-9a-f]{2})/\\1[0-9a-f]{62}"));
    }

    @Test
    void aSecondVersionAfterAFewPagesChangedWritesOnlyThoseChunks() throws Exception {
        SavedState state = sample("v", 2);
        Version v1 = store.commit(7, state, OptionalLong.empty());
        GuestImages.touchPages(state.parts().getFirst().file(), 3, 99);

        Version v2 = store.commit(7, state, OptionalLong.of(v1.number()));

        assertThat(v2.number()).isEqualTo(2);
        assertThat(v2.parent()).isEqualTo(1L);
        assertThat(v2.totalBytes()).isEqualTo(v1.totalBytes());
        assertThat(v2.newBytes()).isLessThanOrEqualTo(3L * BLOCK).isPositive();
        assertThat(v2.storedBytes()).isLessThan(3L * BLOCK + 4096);
        assertSameFiles(store.materialize(7, 2, dir.resolve("restore")), state);
    }

    @Test
    void anOlderVersionRestoresAsItWas() throws Exception {
        SavedState state = sample("v", 3);
        Path saved = Files.copy(state.parts().getFirst().file(), dir.resolve("ram-v1.img"));
        store.commit(7, state, OptionalLong.empty());
        GuestImages.touchPages(state.parts().getFirst().file(), 50, 5);
        store.commit(7, state, OptionalLong.of(1));

        SavedState back = store.materialize(7, 1, dir.resolve("rollback"));

        assertThat(Files.mismatch(back.parts().getFirst().file(), saved)).isEqualTo(-1L);
        assertThat(store.versions(7)).extracting(Version::number).containsExactly(1L, 2L);
    }

    @Test
    void zeroPagesAreHolesNotChunks() throws Exception {
        Path ram = dir.resolve("sparse.img");
        byte[] image = new byte[64 * BLOCK];
        image[5 * BLOCK + 17] = 1;
        Files.write(ram, image);
        Path devices = GuestImages.stream(dir.resolve("dev"), 1000, 1);
        SavedState state = new SavedState(List.of(
                new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, image.length),
                new SavedState.Part("devices", devices, SavedState.Layout.STREAM, 1000)), "7.2", "fp", Duration.ZERO);

        Version v1 = store.commit(3, state, OptionalLong.empty());
        Verification check = store.verify(3, v1.number());

        assertThat(v1.newBytes()).isEqualTo(BLOCK + 1000);
        assertThat(check.chunks()).isEqualTo(2);
        assertThat(check.holeBytes()).isEqualTo(63L * BLOCK);
        Manifest manifest = manifests().read(3, 1);
        // the 5 zero blocks before the data block are one hole, the 58 after it another
        assertThat(manifest.parts().getFirst().extents()).extracting(Manifest.Extent::zero).containsExactly(true, false, true);
        assertSameFiles(store.materialize(3, 1, dir.resolve("out")), state);
    }

    @Test
    void aChangedManifestIsRefused() throws Exception {
        store.commit(7, sample("v", 4), OptionalLong.empty());
        String json = new String(blobs.get("manifests/7/1"), StandardCharsets.UTF_8);
        blobs.put("manifests/7/1", json.replace("\"qemuVersion\":\"7.2.19\"", "\"qemuVersion\":\"9.0.0\"")
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.materialize(7, 1, dir.resolve("out")))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.CORRUPT))
                .hasMessageContaining("manifests/7/1").hasMessageContaining("HMAC-SHA-256 does not match");
    }

    @Test
    void aManifestCopiedToAnotherVmIsRefused() throws Exception {
        store.commit(7, sample("v", 5), OptionalLong.empty());
        blobs.put("manifests/8/1", blobs.get("manifests/7/1"));

        assertThatThrownBy(() -> store.verify(8, 1)).hasMessageContaining("copied to the wrong place");
    }

    @Test
    void aChangedPackIsRefusedAndLeavesNoFile() throws Exception {
        store.commit(7, sample("v", 6), OptionalLong.empty());
        BlobInfo pack = blobs.list("packs/").getFirst();
        byte[] bytes = blobs.get(pack.key());
        bytes[PackFormat.HEADER + 40] ^= 0x10;
        blobs.put(pack.key(), bytes);

        assertThatThrownBy(() -> store.materialize(7, 1, dir.resolve("out")))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.CORRUPT))
                .hasMessageContaining(pack.key()).hasMessageContaining("failed verification");
        assertThatThrownBy(() -> store.verify(7, 1)).hasMessageContaining("failed verification");
        try (var left = Files.list(dir.resolve("out"))) {
            assertThat(left).as("no part of a version that failed verification").isEmpty();
        }
    }

    @Test
    void aWrongOrMissingKeyIsNamedByTheExpectedKeyId() throws Exception {
        store.commit(7, sample("v", 7), OptionalLong.empty());
        String expected = store.keyId();

        SnapshotSettings otherKey = new SnapshotSettings(BLOCK, PACK, true, dir.resolve("other-key"), null);
        Files.writeString(dir.resolve("other-key"), "ab".repeat(32));
        Files.setPosixFilePermissions(dir.resolve("other-key"), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> open(otherKey))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.WRONG_KEY))
                .hasMessageContaining("use the key file with key id " + expected);

        SnapshotSettings noKey = new SnapshotSettings(BLOCK, PACK, true, dir.resolve("missing-key"), null);
        assertThatThrownBy(() -> open(noKey))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.WRONG_KEY))
                .hasMessageContaining("is missing").hasMessageContaining(expected);
        assertThat(dir.resolve("missing-key")).doesNotExist();
    }

    @Test
    void withoutEncryptionChunksArePlainSha256AndStillVerified() throws Exception {
        SnapshotSettings plain = settings().withEncryption(false);
        blobs.delete("store");
        SnapshotStore unencrypted = open(plain);
        SavedState state = sample("v", 8);

        unencrypted.commit(9, state, OptionalLong.empty());

        assertSameFiles(unencrypted.materialize(9, 1, dir.resolve("out")), state);
        Manifest.Extent first = manifestsUnder(dir.resolve("key")).read(9, 1).parts().getFirst().extents().stream()
                .filter(e -> !e.zero()).findFirst().orElseThrow();
        byte[] block = Arrays.copyOfRange(Files.readAllBytes(state.parts().getFirst().file()),
                (int) first.offset(), (int) (first.offset() + first.length()));
        assertThat(first.chunk()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(block)));
        StringBuilder packs = new StringBuilder();
        for (BlobInfo pack : blobs.list("packs/")) {
            packs.append(new String(blobs.get(pack.key()), StandardCharsets.ISO_8859_1));
        }
        // zstd leaves literals readable: the guest's text shows through where encryption would hide it
        assertThat(packs).contains("kernel log line");
        assertThatThrownBy(() -> open(settings())).hasMessageContaining("created with encryption off");
    }

    @Test
    void gcRemovesUnreferencedPacksOnlyAfterTheGracePeriodAndNeverALiveChunk() throws Exception {
        SavedState first = sample("a", 10);
        SavedState second = sample("b", 11);
        store.commit(7, first, OptionalLong.empty());
        store.commit(7, second, OptionalLong.of(1));
        long packBytesBefore = packBytes();
        assertThat(store.delete(7, 1)).isTrue();

        GcReport early = store.gc(KEEP_ALL, Duration.ofHours(1));
        assertThat(early.packsDeleted()).isZero();
        assertThat(packBytes()).isEqualTo(packBytesBefore);

        clock.advance(Duration.ofHours(2));
        GcReport late = store.gc(KEEP_ALL, Duration.ofHours(1));

        assertThat(late.packsDeleted() + late.packsRepacked()).isPositive();
        assertThat(late.bytesFreed()).isPositive();
        assertThat(packBytes()).isEqualTo(packBytesBefore - late.bytesFreed());
        assertThat(store.verify(7, 2).chunks()).isPositive();
        assertSameFiles(store.materialize(7, 2, dir.resolve("out")), second);
        assertThatThrownBy(() -> store.materialize(7, 1, dir.resolve("gone")))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.NOT_FOUND));
    }

    @Test
    void gcAppliesTheRetentionPolicyAndReportsDeletedVersions() throws Exception {
        SavedState state = sample("v", 12);
        for (int i = 0; i < 4; i++) {
            GuestImages.touchPages(state.parts().getFirst().file(), 2, i);
            store.commit(7, state, OptionalLong.empty());
            clock.advance(Duration.ofMinutes(1));
        }

        GcReport report = store.gc(new Retention(2, 0, 0), Duration.ZERO);

        assertThat(report.deletedVersions()).extracting(Version::number).containsExactlyInAnyOrder(1L, 2L);
        assertThat(store.versions(7)).extracting(Version::number).containsExactly(3L, 4L);
        assertSameFiles(store.materialize(7, 4, dir.resolve("out")), state);
        store.verify(7, 3);
    }

    @Test
    void gcDeletesNothingWhileAManifestFailsVerification() throws Exception {
        store.commit(7, sample("a", 18), OptionalLong.empty());
        store.commit(8, sample("b", 19), OptionalLong.empty());
        byte[] manifest = blobs.get("manifests/8/1");
        manifest[manifest.length / 2] ^= 0x01;
        blobs.put("manifests/8/1", manifest);
        long before = packBytes();
        clock.advance(Duration.ofDays(30));

        assertThatThrownBy(() -> store.gc(new Retention(1, 0, 0), Duration.ZERO))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.CORRUPT))
                .hasMessageContaining("manifests/8/1");
        assertThat(packBytes()).isEqualTo(before);
        assertThat(store.versions(7)).hasSize(1);
    }

    @Test
    void mostlyDeadPacksAreRepackedAndTheirLiveChunksKept() throws Exception {
        Path ram = dir.resolve("noise.img");
        Files.write(ram, FastCdcTest.random(48 * BLOCK, 13));
        SavedState state = new SavedState(List.of(new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED,
                48L * BLOCK)), "7.2", "fp", Duration.ZERO);
        store.commit(7, state, OptionalLong.empty());
        assertThat(blobs.list("packs/")).hasSize(1);
        // rewrite three quarters of the blocks, keep one quarter
        byte[] image = Files.readAllBytes(ram);
        byte[] fresh = FastCdcTest.random(36 * BLOCK, 14);
        System.arraycopy(fresh, 0, image, 12 * BLOCK, fresh.length);
        Files.write(ram, image);
        store.commit(7, state, OptionalLong.of(1));
        store.delete(7, 1);
        clock.advance(Duration.ofDays(1));

        GcReport report = store.gc(KEEP_ALL, Duration.ofHours(1));

        assertThat(report.packsRepacked()).isEqualTo(1);
        assertThat(report.packsWritten()).isEqualTo(1);
        assertThat(report.bytesFreed()).isGreaterThan(30L * BLOCK);
        assertSameFiles(store.materialize(7, 2, dir.resolve("out")), state);
        // a new store instance rebuilds its view from the packs and still finds every chunk
        Files.delete(dir.resolve("index"));
        assertThat(open(settings()).verify(7, 2).chunks()).isEqualTo(48);
    }

    @Test
    void aPrecopyLeavesOnlyTheDeltaForTheCommit() throws Exception {
        SavedState state = sample("v", 15);
        Path ram = state.parts().getFirst().file();
        Precopy pre = store.precopy(7, ram, Progress.NONE);
        assertThat(pre.newBytes()).isPositive();
        assertThat(store.versions(7)).isEmpty();
        GuestImages.touchPages(ram, 4, 16);

        Version v1 = store.commit(7, state, OptionalLong.empty());

        long devicesAndDisk = state.parts().get(1).size() + state.parts().get(2).size();
        assertThat(v1.newBytes()).isLessThanOrEqualTo(4L * BLOCK + devicesAndDisk);
        assertThat(v1.newBytes() - devicesAndDisk).isLessThanOrEqualTo(4L * BLOCK);
        assertSameFiles(store.materialize(7, 1, dir.resolve("out")), state);
    }

    @Test
    void packsOfAnUnfinishedCommitAreGarbageAfterTheGracePeriod() throws Exception {
        store.precopy(7, GuestImages.ram(dir.resolve("ram.img"), 256, 17), Progress.NONE);
        assertThat(blobs.list("packs/")).isNotEmpty();

        assertThat(store.gc(KEEP_ALL, Duration.ofMinutes(10)).packsDeleted()).isZero();
        clock.advance(Duration.ofMinutes(11));
        GcReport report = store.gc(KEEP_ALL, Duration.ofMinutes(10));

        assertThat(report.packsDeleted()).isPositive();
        assertThat(blobs.list("packs/")).isEmpty();
    }

    @Test
    void twoVmsCommitConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SavedState>> done = new ArrayList<>();
            for (int vm = 1; vm <= 2; vm++) {
                long id = vm;
                Callable<SavedState> job = () -> {
                    SavedState state = sample("vm" + id, 20 + id);
                    for (int i = 0; i < 3; i++) {
                        GuestImages.touchPages(state.parts().getFirst().file(), 5, i);
                        store.commit(id, state, i == 0 ? OptionalLong.empty() : OptionalLong.of(i));
                    }
                    return state;
                };
                done.add(pool.submit(job));
            }
            for (int vm = 1; vm <= 2; vm++) {
                SavedState state = done.get(vm - 1).get();
                assertThat(store.versions(vm)).extracting(Version::number).containsExactly(1L, 2L, 3L);
                assertSameFiles(store.materialize(vm, 3, dir.resolve("out" + vm)), state);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void argumentsAreCheckedAtTheDoor() throws Exception {
        SavedState state = sample("v", 30);
        assertThatThrownBy(() -> store.commit(0, state, OptionalLong.empty())).hasMessageContaining("vm must be a VM id");
        assertThatThrownBy(() -> store.commit(1, state, OptionalLong.of(5)))
                .hasMessageContaining("parent of the new version of VM 1 must be one of its versions, got 5");
        SavedState wrongSize = new SavedState(List.of(new SavedState.Part("ram", state.parts().getFirst().file(),
                SavedState.Layout.PAGE_ALIGNED, 12345)), "7.2", "fp", Duration.ZERO);
        assertThatThrownBy(() -> store.commit(1, wrongSize, OptionalLong.empty()))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.INVALID))
                .hasMessageContaining("has " + (512 * 4096) + " bytes, the saved state says 12345");
        assertThat(store.versions(1)).isEmpty();
        assertThat(store.delete(1, 1)).isFalse();
        assertThatThrownBy(() -> store.verify(1, 9))
                .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.NOT_FOUND))
                .hasMessageContaining("VM 1 has no snapshot version 9");
    }

    private long packBytes() {
        return blobs.list("packs/").stream().mapToLong(BlobInfo::size).sum();
    }

    private Manifests manifests() {
        return manifestsUnder(dir.resolve("key"));
    }

    private Manifests manifestsUnder(Path keyFile) {
        return new Manifests(blobs, new ManifestCodec(StoreKey.read(keyFile)));
    }
}
