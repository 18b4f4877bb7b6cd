package io.dormouse.blob;

import java.util.regex.Pattern;

/** Key and range checks shared by the backends, so both accept exactly the same keys. */
final class BlobKeys {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9._-]*");

    private BlobKeys() {
    }

    static String key(String store, String key) {
        if (key == null || key.length() > 512 || !KEY.matcher(key).matches()) {
            throw new BlobException(BlobException.Kind.INVALID, store + ": key must be slash-separated segments of"
                    + " A-Z a-z 0-9 . _ - not starting with '.', at most 512 characters, got "
                    + (key == null ? "null" : "'" + key + "'"));
        }
        return key;
    }

    static String prefix(String store, String prefix) {
        if (prefix == null || prefix.length() > 512 || !PREFIX.matcher(prefix).matches()) {
            throw new BlobException(BlobException.Kind.INVALID, store + ": prefix must be empty or a key prefix of"
                    + " A-Z a-z 0-9 . _ - segments, got " + (prefix == null ? "null" : "'" + prefix + "'"));
        }
        return prefix;
    }

    static void range(String store, String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new BlobException(BlobException.Kind.INVALID, store + ": range of '" + key
                    + "' must have offset and length 0 or more, got offset " + offset + ", length " + length);
        }
    }

    static BlobException outOfRange(String store, String key, long offset, int length, long size) {
        return new BlobException(BlobException.Kind.NOT_FOUND, store + ": range " + offset + "+" + length + " of '"
                + key + "' lies beyond its end (" + size + " bytes)");
    }
}
