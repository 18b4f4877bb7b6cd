package io.dormouse.snapshot;

/**
 * Reports how far a long operation is, in bytes (in packs for garbage collection, whose total grows
 * once it knows how many packs to repack). Calls come one at a time, with growing
 * {@code bytesDone}, but not necessarily on the caller's thread: keep them short.
 */
@FunctionalInterface
public interface Progress {

    Progress NONE = (done, total) -> { };

    void update(long bytesDone, long bytesTotal);
}
