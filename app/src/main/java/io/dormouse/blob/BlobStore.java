package io.dormouse.blob;

import java.time.Instant;
import java.util.List;

/**
 * Immutable named objects in a flat key space, as object stores offer them. Keys are
 * slash-separated paths of {@code [A-Za-z0-9._-]} segments, none starting with '.'.
 * A {@code put} is atomic and durable when it returns: readers see the whole object or none.
 */
public interface BlobStore extends AutoCloseable {

    /** Stores {@code content} under {@code key}, replacing any object there. */
    default void put(String key, byte[] content) {
        put(key, content, content.length);
    }

    /** Stores the first {@code length} bytes of {@code content} under {@code key}, replacing any object there. */
    void put(String key, byte[] content, int length);

    /** The whole object. @throws BlobException {@link BlobException.Kind#NOT_FOUND} when there is none */
    byte[] get(String key);

    /**
     * {@code length} bytes from {@code offset}.
     *
     * @throws BlobException {@link BlobException.Kind#NOT_FOUND} when there is no object, or the range
     *                       does not lie within it
     */
    byte[] getRange(String key, long offset, int length);

    boolean exists(String key);

    /** The object's length. @throws BlobException {@link BlobException.Kind#NOT_FOUND} when there is none */
    long size(String key);

    /** The objects whose keys start with {@code prefix}, in key order. */
    List<BlobInfo> list(String prefix);

    /** Removes the object; false when there was none. */
    boolean delete(String key);

    /**
     * Removes what writes that never finished left behind (a writer killed half-way) and that
     * started before {@code before}: temporary files, incomplete multipart uploads. Returns how many.
     */
    int removeUnfinished(Instant before);

    @Override
    void close();
}
