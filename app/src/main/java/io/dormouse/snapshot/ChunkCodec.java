package io.dormouse.snapshot;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.nio.ByteBuffer;
import com.github.luben.zstd.Zstd;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names chunks and turns them into stored records and back. A record is
 * {@code flags (1) | raw length (4) | [nonce (12)] | payload}: the payload is the chunk, zstd-compressed
 * when that shrinks it, then AES-256-GCM-sealed when encryption is on, with the chunk id and the
 * record header as associated data so a record cannot be passed off as another chunk.
 * Opening a record always re-derives the id from the plaintext: nothing unverified leaves here.
 */
final class ChunkCodec {

    static final int COMPRESSED = 1;
    static final int ENCRYPTED = 2;
    private static final int HEADER = 5;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int TAG = TAG_BITS / 8;

    private final boolean encrypted;
    private final SecretKeySpec idKey;
    private final SecretKeySpec sealKey;
    private final SecureRandom random;
    // one nonce generator per thread: a shared SecureRandom serializes every sealing thread on its lock
    private final ThreadLocal<SecureRandom> nonces;
    // a compression target per thread, so that sealing allocates only the record it returns
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[0]);
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(() -> newInstance(() ->
            MessageDigest.getInstance("SHA-256")));
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> newInstance(() ->
            Cipher.getInstance("AES/GCM/NoPadding")));
    // a zstd context per thread: making one per chunk cost as much as compressing the chunk
    private final ThreadLocal<ZstdCompressCtx> compressors;
    private final ThreadLocal<ZstdDecompressCtx> decompressors = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    ChunkCodec(StoreKey key, boolean encrypted, SecureRandom random) {
        this(key, encrypted, random, SnapshotSettings.DEFAULT_COMPRESSION_LEVEL);
    }

    /** @param level zstd compression level of new records (reading accepts any level) */
    ChunkCodec(StoreKey key, boolean encrypted, SecureRandom random, int level) {
        this.encrypted = encrypted;
        this.idKey = key.derive("chunk-id", "HmacSHA256");
        this.sealKey = key.derive("chunk-encryption", "AES");
        this.random = random;
        this.nonces = ThreadLocal.withInitial(this::nonceSource);
        this.compressors = ThreadLocal.withInitial(() -> {
            ZstdCompressCtx ctx = new ZstdCompressCtx();
            ctx.setLevel(level);
            return ctx;
        });
        this.macs = ThreadLocal.withInitial(() -> newInstance(() -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(idKey);
            return mac;
        }));
    }

    boolean encrypted() {
        return encrypted;
    }

    ChunkId id(byte[] data, int offset, int length) {
        if (encrypted) {
            Mac mac = macs.get();
            mac.update(data, offset, length);
            return ChunkId.wrap(mac.doFinal());
        }
        MessageDigest digest = digests.get();
        digest.update(data, offset, length);
        return ChunkId.wrap(digest.digest());
    }

    /** The largest record a chunk of {@code length} bytes can become (stored raw, sealed). */
    static int maxRecord(int length) {
        return HEADER + NONCE + length + TAG;
    }

    /** The stored record of a chunk whose id is {@code id}. */
    byte[] seal(ChunkId id, byte[] data, int offset, int length) {
        byte[] record = new byte[maxRecord(length)];
        int written = seal(id, data, offset, length, record, 0);
        return written == record.length ? record : Arrays.copyOf(record, written);
    }

    /**
     * Writes the stored record of a chunk whose id is {@code id} into {@code target} at {@code at},
     * which must have {@link #maxRecord} bytes of room; returns the record's length. Sealing many
     * chunks into one array spares the garbage collector a record object per chunk.
     */
    int seal(ChunkId id, byte[] data, int offset, int length, byte[] target, int at) {
        Objects.checkFromIndexSize(at, maxRecord(length), target.length);
        int bound = (int) Zstd.compressBound(length);
        byte[] compressed = scratch.get();
        if (compressed.length < bound) {
            compressed = new byte[bound];
            scratch.set(compressed);
        }
        int flags = 0;
        byte[] payload = data;
        int payloadOffset = offset;
        int payloadLength = length;
        int packed = compressors.get().compressByteArray(compressed, 0, bound, data, offset, length);
        if (packed < length) {
            payload = compressed;
            payloadOffset = 0;
            payloadLength = packed;
            flags |= COMPRESSED;
        }
        if (!encrypted) {
            header(target, at, flags, length);
            System.arraycopy(payload, payloadOffset, target, at + HEADER, payloadLength);
            return HEADER + payloadLength;
        }
        flags |= ENCRYPTED;
        header(target, at, flags, length);
        byte[] nonce = new byte[NONCE];
        nonces.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, target, at + HEADER, NONCE);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id.view());
            cipher.updateAAD(target, at, HEADER);
            return HEADER + NONCE + cipher.doFinal(payload, payloadOffset, payloadLength, target, at + HEADER + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal a chunk", e);
        }
    }

    /**
     * The chunk inside {@code record}, checked against {@code id}.
     *
     * @param where names the record's place for error messages
     * @throws SnapshotException {@link SnapshotException.Kind#CORRUPT} when the record is damaged, was sealed
     *                           under another key, or holds another chunk
     */
    byte[] open(ChunkId id, byte[] record, String where) {
        if (record.length < HEADER) {
            throw corrupt(id, where, "the record is " + record.length + " bytes, shorter than its header");
        }
        ByteBuffer in = ByteBuffer.wrap(record);
        int flags = in.get() & 0xff;
        int rawLength = in.getInt();
        if ((flags & ~(COMPRESSED | ENCRYPTED)) != 0 || rawLength < 0 || ((flags & ENCRYPTED) != 0) != encrypted) {
            throw corrupt(id, where, "the record header is not valid for this store (flags " + flags + ")");
        }
        byte[] payload;
        if (encrypted) {
            if (record.length < HEADER + NONCE + TAG_BITS / 8) {
                throw corrupt(id, where, "the sealed record is too short (" + record.length + " bytes)");
            }
            try {
                Cipher cipher = ciphers.get();
                cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, record, HEADER, NONCE));
                cipher.updateAAD(id.view());
                cipher.updateAAD(record, 0, HEADER);
                payload = cipher.doFinal(record, HEADER + NONCE, record.length - HEADER - NONCE);
            } catch (GeneralSecurityException e) {
                throw corrupt(id, where, "authentication failed (tampered, or sealed under another key)");
            }
        } else {
            payload = Arrays.copyOfRange(record, HEADER, record.length);
        }
        byte[] data = payload;
        if ((flags & COMPRESSED) != 0) {
            try {
                data = decompressors.get().decompress(payload, rawLength);
            } catch (RuntimeException e) {
                throw corrupt(id, where, "zstd cannot decompress it (" + e.getMessage() + ")");
            }
        }
        if (data.length != rawLength) {
            throw corrupt(id, where, "it holds " + data.length + " bytes, its header says " + rawLength);
        }
        if (!id(data, 0, data.length).equals(id)) {
            throw corrupt(id, where, "its content does not match the chunk id");
        }
        return data;
    }

    private static void header(byte[] record, int at, int flags, int rawLength) {
        ByteBuffer.wrap(record, at, HEADER).put((byte) flags).putInt(rawLength);
    }

    private SecureRandom nonceSource() {
        byte[] personalization = new byte[16];
        random.nextBytes(personalization);
        return newInstance(() -> SecureRandom.getInstance("DRBG",
                DrbgParameters.instantiation(256, DrbgParameters.Capability.NONE, personalization)));
    }

    private static SnapshotException corrupt(ChunkId id, String where, String why) {
        return new SnapshotException(SnapshotException.Kind.CORRUPT, "chunk " + id + " in " + where + " failed verification: "
                + why);
    }

    private interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T newInstance(Factory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256, HmacSHA256 or AES/GCM", e);
        }
    }
}
