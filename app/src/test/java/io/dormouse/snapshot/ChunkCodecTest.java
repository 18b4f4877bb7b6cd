package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkCodecTest {

    @TempDir
    Path dir;

    @Test
    void compressibleChunksAreStoredCompressedAndReadBack() {
        ChunkCodec codec = codec("k", true);
        byte[] text = "the guest's page cache holds a lot of text. ".repeat(400).getBytes(StandardCharsets.UTF_8);
        ChunkId id = codec.id(text, 0, text.length);

        byte[] record = codec.seal(id, text, 0, text.length);

        assertThat(record[0] & ChunkCodec.COMPRESSED).isNotZero();
        assertThat(record.length).isLessThan(text.length / 4);
        assertThat(codec.open(id, record, "test")).isEqualTo(text);
    }

    @Test
    void incompressibleChunksAreStoredRaw() {
        ChunkCodec codec = codec("k", true);
        byte[] noise = FastCdcTest.random(16384, 1);
        ChunkId id = codec.id(noise, 0, noise.length);

        byte[] record = codec.seal(id, noise, 0, noise.length);

        assertThat(record[0] & ChunkCodec.COMPRESSED).isZero();
        assertThat(codec.open(id, record, "test")).isEqualTo(noise);
    }

    @Test
    void recordsSealedSideBySideInOneArrayOpenEachOnItsOwn() {
        for (boolean encrypted : new boolean[] {true, false}) {
            ChunkCodec codec = codec("k", encrypted);
            byte[] noise = FastCdcTest.random(16384, 4);
            byte[] text = "a line of a log file\n".repeat(700).getBytes(StandardCharsets.UTF_8);
            byte[] records = new byte[ChunkCodec.maxRecord(noise.length) + ChunkCodec.maxRecord(text.length)];
            ChunkId noiseId = codec.id(noise, 0, noise.length);
            ChunkId textId = codec.id(text, 0, text.length);

            int first = codec.seal(noiseId, noise, 0, noise.length, records, 0);
            int second = codec.seal(textId, text, 0, text.length, records, first);

            assertThat(codec.open(noiseId, Arrays.copyOfRange(records, 0, first), "test")).isEqualTo(noise);
            assertThat(codec.open(textId, Arrays.copyOfRange(records, first, first + second), "test")).isEqualTo(text);
            assertThatThrownBy(() -> codec.seal(noiseId, noise, 0, noise.length, records, first + second))
                    .as("no room left").isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void encryptedIdsAreKeyedAndPlainIdsAreSha256() throws Exception {
        byte[] page = FastCdcTest.random(4096, 2);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(page);

        assertThat(codec("a", false).id(page, 0, page.length).bytes()).isEqualTo(sha);
        assertThat(codec("a", true).id(page, 0, page.length).bytes()).isNotEqualTo(sha);
        assertThat(codec("a", true).id(page, 0, page.length)).isNotEqualTo(codec("b", true).id(page, 0, page.length));
    }

    @Test
    void encryptedRecordsDoNotContainThePlaintext() {
        ChunkCodec codec = codec("k", true);
        byte[] text = "secret-token-1234567890 ".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[] noise = FastCdcTest.random(4096, 3);
        System.arraycopy(text, 0, noise, 100, text.length);
        byte[] record = codec.seal(codec.id(noise, 0, noise.length), noise, 0, noise.length);

        assertThat(new String(record, StandardCharsets.ISO_8859_1)).doesNotContain("secret-token");
    }

    @Test
    void aFlippedBitAnotherKeyOrAnotherIdIsRefused() {
        ChunkCodec codec = codec("k", true);
        byte[] page = FastCdcTest.random(4096, 4);
        ChunkId id = codec.id(page, 0, page.length);
        byte[] record = codec.seal(id, page, 0, page.length);

        byte[] flipped = record.clone();
        flipped[record.length / 2] ^= 1;
        assertThatThrownBy(() -> codec.open(id, flipped, "pack p")).isInstanceOfSatisfying(SnapshotException.class,
                e -> assertThat(e.kind()).isEqualTo(SnapshotException.Kind.CORRUPT)).hasMessageContaining("pack p");
        assertThatThrownBy(() -> codec("other", true).open(id, record, "pack p"))
                .hasMessageContaining("authentication failed");
        ChunkId otherId = codec.id(FastCdcTest.random(4096, 5), 0, 4096);
        assertThatThrownBy(() -> codec.open(otherId, record, "pack p")).hasMessageContaining("authentication failed");
    }

    @Test
    void plainRecordsAreCheckedAgainstTheirId() {
        ChunkCodec codec = codec("k", false);
        byte[] page = FastCdcTest.random(4096, 6);
        ChunkId id = codec.id(page, 0, page.length);
        byte[] record = codec.seal(id, page, 0, page.length);
        record[record.length - 1] ^= 1;

        assertThatThrownBy(() -> codec.open(id, record, "pack p")).hasMessageContaining("does not match the chunk id");
    }

    @Test
    void theKeyFileIsOwnerOnlyAndNamedByItsId() throws Exception {
        Path file = dir.resolve("sub/key");
        StoreKey created = StoreKey.create(file, new SecureRandom());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(created.id()).matches("[0-9a-f]{16}");
        assertThat(StoreKey.read(file).id()).isEqualTo(created.id());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> StoreKey.read(file)).hasMessageContaining("chmod 600");
    }

    private ChunkCodec codec(String keyName, boolean encrypted) {
        Path file = dir.resolve("key-" + keyName);
        StoreKey key = Files.exists(file) ? StoreKey.read(file) : StoreKey.create(file, new SecureRandom());
        return new ChunkCodec(key, encrypted, new SecureRandom());
    }
}
