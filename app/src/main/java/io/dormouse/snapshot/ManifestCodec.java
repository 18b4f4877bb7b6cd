package io.dormouse.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes manifests as JSON envelopes {@code {"format":1,"keyId":..,"mac":..,"manifest":{..}}} where
 * {@code mac} is HMAC-SHA-256, under a key derived from the store key, of the manifest's canonical
 * serialization; reads them back only when the MAC matches and the manifest is the one asked for.
 */
final class ManifestCodec {

    static final String PREFIX = "manifests/";
    private static final int FORMAT = 1;
    private static final HexFormat HEX = HexFormat.of();

    private final ObjectMapper json = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final SecretKeySpec macKey;
    private final String keyId;

    ManifestCodec(StoreKey key) {
        this.macKey = key.derive("manifest", "HmacSHA256");
        this.keyId = key.id();
    }

    static String key(long vm, long version) {
        return PREFIX + vm + "/" + version;
    }

    byte[] write(Manifest manifest) {
        try {
            ObjectNode envelope = json.createObjectNode();
            envelope.put("format", FORMAT);
            envelope.put("keyId", keyId);
            envelope.put("mac", HEX.formatHex(mac(json.writeValueAsBytes(manifest))));
            envelope.set("manifest", json.valueToTree(manifest));
            return json.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest failed to serialize", e);
        }
    }

    /**
     * The manifest of {@code vm} version {@code version} in {@code bytes}.
     *
     * @throws SnapshotException {@link SnapshotException.Kind#WRONG_KEY} when another key wrote it,
     *                           {@link SnapshotException.Kind#CORRUPT} when it was changed or is another's
     */
    Manifest read(byte[] bytes, long vm, long version) {
        String where = "manifest " + key(vm, version);
        JsonNode envelope;
        try {
            envelope = json.readTree(bytes);
        } catch (IOException e) {
            throw corrupt(where, "it is not JSON (" + e.getMessage() + ")");
        }
        if (envelope == null || !envelope.path("format").isInt() || envelope.path("format").intValue() != FORMAT) {
            throw corrupt(where, "it is not a format " + FORMAT + " manifest envelope");
        }
        String writtenBy = envelope.path("keyId").asText();
        if (!keyId.equals(writtenBy)) {
            throw new SnapshotException(SnapshotException.Kind.WRONG_KEY, where + " was written under key id " + writtenBy
                    + ", but this store's key file holds key id " + keyId + ": use the key file with key id " + writtenBy);
        }
        Manifest manifest;
        byte[] canonical;
        try {
            manifest = json.treeToValue(envelope.path("manifest"), Manifest.class);
            canonical = json.writeValueAsBytes(manifest);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw corrupt(where, "its body does not read as a manifest (" + e.getMessage() + ")");
        }
        byte[] claimed;
        try {
            claimed = HEX.parseHex(envelope.path("mac").asText());
        } catch (IllegalArgumentException e) {
            throw corrupt(where, "its MAC is not hex");
        }
        if (!MessageDigest.isEqual(claimed, mac(canonical))) {
            throw corrupt(where, "its HMAC-SHA-256 does not match its content: it was changed after it was written");
        }
        if (manifest.vm() != vm || manifest.version() != version) {
            throw corrupt(where, "it is the manifest of VM " + manifest.vm() + " version " + manifest.version()
                    + ", copied to the wrong place");
        }
        return manifest;
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static SnapshotException corrupt(String where, String why) {
        return new SnapshotException(SnapshotException.Kind.CORRUPT, where + " failed verification: " + why);
    }
}
