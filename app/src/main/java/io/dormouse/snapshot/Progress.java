package io.dormouse.snapshot;

/** Reports how far a long operation is, in bytes; called from the thread doing the work. */
@FunctionalInterface
public interface Progress {

    Progress NONE = (done, total) -> { };

    void update(long bytesDone, long bytesTotal);
}
