package io.dormouse.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;

/**
 * The {@code store} object at the root of a snapshot store: which key id and which encryption mode
 * its data were written with. Opening checks the key file against it before anything is read, so a
 * wrong or missing key is named at once instead of surfacing as failed chunks later.
 */
final class StoreMarker {

    static final String KEY = "store";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreMarker() {
    }

    /** The store's key, created at first use; checked against the marker, which is written when new. */
    static StoreKey open(BlobStore blobs, SnapshotSettings settings, SecureRandom random) {
        JsonNode marker = read(blobs);
        boolean haveKey = Files.exists(settings.keyFile());
        if (marker == null) {
            StoreKey key = haveKey ? StoreKey.read(settings.keyFile()) : StoreKey.create(settings.keyFile(), random);
            ObjectNode created = JSON.createObjectNode();
            created.put("format", 1);
            created.put("keyId", key.id());
            created.put("encryption", settings.encryption());
            try {
                blobs.put(KEY, JSON.writeValueAsBytes(created));
            } catch (IOException e) {
                throw new IllegalStateException("the store marker failed to serialize", e);
            }
            return key;
        }
        String expected = marker.path("keyId").asText();
        if (!haveKey) {
            throw new SnapshotException(SnapshotException.Kind.WRONG_KEY, "key file " + settings.keyFile()
                    + " is missing, and " + blobs + " holds snapshots written under key id " + expected
                    + ": restore the key file with key id " + expected + " (a new key cannot read them)");
        }
        StoreKey key = StoreKey.read(settings.keyFile());
        if (!key.id().equals(expected)) {
            throw new SnapshotException(SnapshotException.Kind.WRONG_KEY, "key file " + settings.keyFile()
                    + " holds key id " + key.id() + ", but " + blobs + " was written under key id " + expected
                    + ": use the key file with key id " + expected);
        }
        boolean encrypted = marker.path("encryption").asBoolean(true);
        if (encrypted != settings.encryption()) {
            throw new SnapshotException(SnapshotException.Kind.INVALID, blobs + " was created with encryption "
                    + (encrypted ? "on" : "off") + ", the settings ask for it " + (settings.encryption() ? "on" : "off")
                    + ": a store keeps the mode it was created with");
        }
        return key;
    }

    private static JsonNode read(BlobStore blobs) {
        if (!blobs.exists(KEY)) {
            return null;
        }
        try {
            return JSON.readTree(blobs.get(KEY));
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Kind.CORRUPT, "the store marker '" + KEY + "' in " + blobs
                    + " is not JSON (" + e.getMessage() + ")", e);
        }
    }
}
