package io.dormouse.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The store's 256-bit secret, kept in a key file readable by its owner only, and the keys
 * derived from it (chunk ids, chunk encryption, manifest authentication). Its id, the first
 * eight bytes of its SHA-256, names it in manifests and errors without revealing it.
 */
final class StoreKey {

    private static final HexFormat HEX = HexFormat.of();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] secret;
    private final String id;

    private StoreKey(byte[] secret) {
        this.secret = secret;
        this.id = HEX.formatHex(sha256(secret), 0, 8);
    }

    /** Reads the key file; the caller decides whether a missing file may be created. */
    static StoreKey read(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new SnapshotException(SnapshotException.Kind.WRONG_KEY, "key file " + file + " is readable by others ("
                        + PosixFilePermissions.toString(permissions) + "); run 'chmod 600 " + file + "'");
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!text.matches("[0-9a-f]{64}")) {
                throw new SnapshotException(SnapshotException.Kind.WRONG_KEY, "key file " + file
                        + " must hold 64 lower-case hex digits (a 256-bit key), it holds " + text.length() + " characters");
            }
            return new StoreKey(HEX.parseHex(text));
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.WRONG_KEY, "cannot read key file " + file + " (" + e + ")", e);
        }
    }

    /** Generates a new key into {@code file} (mode 0600), which must not exist yet. */
    static StoreKey create(Path file, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, HEX.formatHex(secret) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            // data sealed under a key whose file a crash could still take away would be lost with it
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.FAILED, "cannot create key file " + file + " (" + e + ")", e);
        }
        return new StoreKey(secret);
    }

    String id() {
        return id;
    }

    /** A key for one purpose, so that no two uses share key material (HMAC as a PRF over the label). */
    SecretKeySpec derive(String purpose, String algorithm) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(("dormouse snapshot " + purpose + " v1").getBytes(StandardCharsets.UTF_8)),
                    algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
