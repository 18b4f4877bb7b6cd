package io.dormouse.snapshot;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The pack object: {@code "DMPK" 2 | chunk records | trailer | footer}. The trailer lists each
 * record as {@code chunk id (32) | offset (8) | length (4) | flags (1)}; the 28-byte footer holds the
 * key id (8), the trailer's offset (8) and length (4), its CRC-32C (4) and {@code "DMPK"} again, so a
 * reader needs two range reads to learn what a pack holds. Records verify themselves; the CRC only
 * tells a torn or foreign trailer from a real one. A pack is named by the SHA-256 of its trailer and
 * footer, which list every record by its chunk id: the name covers the whole content without a
 * second pass over the records (format 1 named a pack by the SHA-256 of all its bytes).
 */
final class PackFormat {

    static final String PREFIX = "packs/";
    static final byte[] MAGIC = "DMPK".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 5;
    /** Format 1 packs (named by the hash of all their bytes) are still read and verified. */
    static final int VERSION = 2;
    static final int FOOTER = 28;
    private static final int ENTRY = ChunkId.BYTES + 8 + 4 + 1;
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern PACK_KEY = Pattern.compile(Pattern.quote(PREFIX) + "([0-9a-f]{2})/\\1[0-9a-f]{62}");

    private PackFormat() {
    }

    static String key(String packId) {
        return PREFIX + packId.substring(0, 2) + "/" + packId;
    }

    static String packId(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /**
     * The packs in {@code blobs}: objects named as {@link #key} names them. Anything else under the
     * prefix (a backend's half-written temporary object after a crash, say) is not a pack.
     */
    static List<BlobInfo> list(BlobStore blobs) {
        return blobs.list(PREFIX).stream().filter(info -> PACK_KEY.matcher(info.key()).matches()).toList();
    }

    static byte[] header() {
        return ByteBuffer.allocate(HEADER).put(MAGIC).put((byte) VERSION).array();
    }

    /** The name of a format 2 pack whose trailer and footer are {@code tail}. */
    static String name(byte[] tail) {
        return HEX.formatHex(StoreKey.sha256(tail));
    }

    /** The trailer and footer that follow the records, which end at {@code trailerOffset}. */
    static byte[] trailer(List<PackEntry> entries, long trailerOffset, String keyId) {
        ByteBuffer trailer = ByteBuffer.allocate(4 + entries.size() * ENTRY);
        trailer.putInt(entries.size());
        for (PackEntry e : entries) {
            trailer.put(e.id().bytes()).putLong(e.offset()).putInt(e.length()).put((byte) e.flags());
        }
        CRC32C crc = new CRC32C();
        crc.update(trailer.array());
        return ByteBuffer.allocate(trailer.capacity() + FOOTER).put(trailer.array()).put(HEX.parseHex(keyId))
                .putLong(trailerOffset).putInt(trailer.capacity()).putInt((int) crc.getValue()).put(MAGIC).array();
    }

    /** What a pack holds, read from its trailer; its records end where the trailer starts. */
    record Contents(String keyId, List<PackEntry> entries, long size, long trailerOffset) {
    }

    static Contents read(BlobStore blobs, String key) {
        return read(key, blobs.size(key), (offset, length) -> blobs.getRange(key, offset, length));
    }

    /** What a pack read whole holds, its header checked too. */
    static Contents read(String key, byte[] pack) {
        if (pack.length < HEADER + FOOTER || !Arrays.equals(pack, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || pack[MAGIC.length] < 1 || pack[MAGIC.length] > VERSION) {
            throw corrupt(key, "it does not start with a pack header of format 1 to " + VERSION);
        }
        return read(key, pack.length, (offset, length) -> Arrays.copyOfRange(pack, (int) offset, (int) offset + length));
    }

    /**
     * Checks the structure of a pack read whole against its name: the header, the trailer against its CRC,
     * and then, for format 2, the name against the trailer and footer and the records laid end to end from
     * the header to the trailer; for format 1, the name against all its bytes. The records themselves
     * are the caller's to open. Returns what the pack holds.
     */
    static Contents check(String key, String packId, byte[] pack) {
        Contents contents = read(key, pack);
        if (pack[MAGIC.length] == 1) {
            String actual = HEX.formatHex(StoreKey.sha256(pack));
            if (!actual.equals(packId)) {
                throw corrupt(key, "its bytes hash to " + actual + ", not to its name");
            }
            return contents;
        }
        String named = name(Arrays.copyOfRange(pack, (int) contents.trailerOffset(), pack.length));
        if (!named.equals(packId)) {
            throw corrupt(key, "its trailer hashes to " + named + ", not to its name");
        }
        long next = HEADER;
        for (PackEntry entry : contents.entries().stream().sorted(Comparator.comparingLong(PackEntry::offset)).toList()) {
            if (entry.offset() != next) {
                throw corrupt(key, "its records leave a gap or overlap at offset " + next);
            }
            next += entry.length();
        }
        if (next != contents.trailerOffset()) {
            throw corrupt(key, "its records end at offset " + next + ", its trailer starts at " + contents.trailerOffset());
        }
        return contents;
    }

    /** Bytes of a pack at an offset. */
    @FunctionalInterface
    private interface Ranges {
        byte[] get(long offset, int length);
    }

    private static Contents read(String key, long size, Ranges blobs) {
        if (size < HEADER + FOOTER) {
            throw corrupt(key, "it is " + size + " bytes, too short for a pack");
        }
        ByteBuffer footer = ByteBuffer.wrap(blobs.get(size - FOOTER, FOOTER));
        byte[] keyId = new byte[8];
        footer.get(keyId);
        long trailerOffset = footer.getLong();
        int trailerLength = footer.getInt();
        int crc = footer.getInt();
        byte[] magic = new byte[4];
        footer.get(magic);
        if (!Arrays.equals(magic, MAGIC) || trailerOffset < HEADER || trailerLength < 4
                || trailerOffset + trailerLength != size - FOOTER) {
            throw corrupt(key, "its footer is not a pack footer");
        }
        byte[] trailerBytes = blobs.get(trailerOffset, trailerLength);
        CRC32C check = new CRC32C();
        check.update(trailerBytes);
        if ((int) check.getValue() != crc) {
            throw corrupt(key, "its trailer fails its CRC-32C");
        }
        ByteBuffer trailer = ByteBuffer.wrap(trailerBytes);
        int count = trailer.getInt();
        if (count < 0 || 4L + (long) count * ENTRY != trailerLength) {
            throw corrupt(key, "its trailer lists " + count + " entries in " + trailerLength + " bytes");
        }
        List<PackEntry> entries = new ArrayList<>(count);
        byte[] id = new byte[ChunkId.BYTES];
        for (int i = 0; i < count; i++) {
            trailer.get(id);
            PackEntry entry = new PackEntry(ChunkId.of(id), trailer.getLong(), trailer.getInt(), trailer.get() & 0xff);
            if (entry.offset() < HEADER || entry.length() < 0 || entry.offset() + entry.length() > trailerOffset) {
                throw corrupt(key, "its trailer places chunk " + entry.id() + " outside the records");
            }
            entries.add(entry);
        }
        return new Contents(HEX.formatHex(keyId), List.copyOf(entries), size, trailerOffset);
    }

    static SnapshotException corrupt(String key, String why) {
        return new SnapshotException(SnapshotException.Kind.CORRUPT, "pack " + key + " failed verification: " + why);
    }
}
