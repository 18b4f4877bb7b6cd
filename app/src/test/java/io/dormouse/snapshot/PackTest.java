package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.blob.ForwardingBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pack writing and trailers, and the local chunk index built from them. */
class PackTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private BlobStore blobs;
    private ChunkCodec codec;
    private String keyId;

    @BeforeEach
    void setUp() {
        blobs = FileBlobStore.open(dir.resolve("blobs"));
        StoreKey key = StoreKey.create(dir.resolve("key"), new SecureRandom());
        keyId = key.id();
        codec = new ChunkCodec(key, true, new SecureRandom());
    }

    /** Writes {@code count} random 64 KiB chunks; packs fill at 1 MiB. */
    private List<PackWriter.Written> write(int count, long seed) {
        List<PackWriter.Written> announced = new CopyOnWriteArrayList<>();
        PackWriter writer = new PackWriter(blobs, MIB, keyId, w -> {
            // announced only once durable: the pack is there to read
            assertThat(blobs.exists(PackFormat.key(w.packId()))).isTrue();
            announced.add(w);
        }, 2);
        for (int i = 0; i < count; i++) {
            byte[] data = FastCdcTest.random(64 << 10, seed + i);
            ChunkId id = codec.id(data, 0, data.length);
            byte[] record = codec.seal(id, data, 0, data.length);
            writer.add(id, record, 0, record.length);
            assertThat(writer.holds(id)).isTrue();
            writer.add(id, record, 0, record.length);
        }
        List<PackWriter.Written> written = writer.finish();
        assertThat(announced).containsExactlyInAnyOrderElementsOf(written);
        assertThat(written.stream().mapToInt(w -> w.entries().size()).sum()).as("each chunk once").isEqualTo(count);
        return written;
    }

    @Test
    void packsFillToTheTargetSizeAreNamedByTheHashOfTheirTrailerAndListTheirRecords() throws Exception {
        List<PackWriter.Written> written = write(40, 1);

        assertThat(written).hasSize(3);
        assertThat(written).filteredOn(w -> w.size() >= MIB).hasSize(2)
                .allSatisfy(w -> assertThat(w.size()).isLessThan(MIB + (70L << 10)));
        for (PackWriter.Written pack : written) {
            byte[] bytes = blobs.get(PackFormat.key(pack.packId()));
            PackFormat.Contents contents = PackFormat.read(blobs, PackFormat.key(pack.packId()));
            byte[] tail = Arrays.copyOfRange(bytes, (int) contents.trailerOffset(), bytes.length);
            assertThat(pack.packId()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tail)));
            assertThat(bytes[PackFormat.MAGIC.length]).as("format").isEqualTo((byte) PackFormat.VERSION);
            assertThat(PackFormat.read("whole", bytes)).isEqualTo(contents);
            assertThat(contents.keyId()).isEqualTo(keyId);
            assertThat(contents.entries()).isEqualTo(pack.entries());
            for (PackEntry e : contents.entries()) {
                byte[] record = blobs.getRange(PackFormat.key(pack.packId()), e.offset(), e.length());
                assertThat(codec.open(e.id(), record, "test")).hasSize(64 << 10);
            }
        }
    }

    @Test
    void onlyObjectsNamedAsPacksAreListedAsPacks() {
        List<PackWriter.Written> written = write(3, 7);
        String id = written.getFirst().packId();
        // what a backend may leave under the prefix after a crash mid-write: not a pack
        blobs.put("packs/" + id.substring(0, 2) + "/" + id + "-5c1f0e", new byte[] {1, 2, 3});
        blobs.put("packs/zz/" + id, new byte[] {1});

        assertThat(PackFormat.list(blobs)).extracting(BlobInfo::key)
                .containsExactlyInAnyOrderElementsOf(written.stream().map(w -> PackFormat.key(w.packId())).toList());
        assertThat(ChunkIndex.open(null, blobs, keyId).contains(written.getFirst().entries().getFirst().id())).isTrue();
    }

    @Test
    void aFailedUploadIsReportedByFinish() {
        BlobStore full = FileBlobStore.open(dir.resolve("ro"));
        PackWriter writer = new PackWriter(new FailingPuts(full), MIB, keyId, w -> { }, 2);
        byte[] data = FastCdcTest.random(4096, 9);
        ChunkId id = codec.id(data, 0, data.length);
        byte[] record = codec.seal(id, data, 0, data.length);
        writer.add(id, record, 0, record.length);

        assertThatThrownBy(writer::finish).hasMessageContaining("disk full");
    }

    @Test
    void aDamagedTrailerOrFooterIsNotTakenForAPack() {
        String key = PackFormat.key(write(3, 2).getFirst().packId());
        byte[] bytes = blobs.get(key);

        byte[] trailer = bytes.clone();
        trailer[bytes.length - PackFormat.FOOTER - 10] ^= 1;
        blobs.put(key, trailer);
        assertThatThrownBy(() -> PackFormat.read(blobs, key)).hasMessageContaining("CRC-32C");

        byte[] footer = bytes.clone();
        footer[bytes.length - 1] ^= 1;
        blobs.put(key, footer);
        assertThatThrownBy(() -> PackFormat.read(blobs, key)).hasMessageContaining("not a pack footer");
    }

    @Test
    void theIndexFindsEveryChunkAndSurvivesALostOrTornFile() throws Exception {
        List<PackWriter.Written> written = write(20, 3);
        Path file = dir.resolve("index");
        ChunkIndex built = ChunkIndex.open(file, blobs, keyId);
        assertThat(file).exists();
        PackEntry some = written.getLast().entries().getLast();
        assertThat(built.find(some.id())).isEqualTo(new ChunkIndex.Location(written.getLast().packId(), some.offset(), some.length()));

        byte[] full = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(full, full.length - 7));
        assertThat(ChunkIndex.open(file, blobs, keyId).find(some.id())).isNotNull();

        Files.delete(file);
        assertThat(ChunkIndex.open(file, blobs, keyId).find(some.id())).isNotNull();
    }

    @Test
    void theIndexForgetsPacksThatAreGoneAndLearnsPacksItDidNotWrite() {
        List<PackWriter.Written> first = write(20, 4);
        Path file = dir.resolve("index");
        ChunkIndex.open(file, blobs, keyId);
        blobs.delete(PackFormat.key(first.getFirst().packId()));
        List<PackWriter.Written> more = write(5, 5);

        ChunkIndex reopened = ChunkIndex.open(file, blobs, keyId);

        assertThat(reopened.find(first.getFirst().entries().getFirst().id())).isNull();
        assertThat(reopened.find(first.getLast().entries().getFirst().id())).isNotNull();
        assertThat(reopened.find(more.getFirst().entries().getFirst().id())).isNotNull();
    }

    /** A blob store whose puts fail, as a full disk or a lost connection makes them. */
    private static final class FailingPuts extends ForwardingBlobStore {
        FailingPuts(BlobStore inner) {
            super(inner);
        }

        @Override
        public void put(String key, byte[] content, int length) {
            throw new IllegalStateException("disk full");
        }
    }
}
