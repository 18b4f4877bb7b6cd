package io.dormouse.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * What a local file looked like when the store knew its content: inode, size, modification and
 * change times. Any write, through {@code write} or a shared mapping, moves the change time, so an
 * equal stamp later means the same bytes, provided the stamp was taken a clock tick after the last
 * change ({@link #settled}): a write within the tick of that change could carry the same time.
 */
record FileStamp(Path file, String fileKey, long size, Instant modified, Instant changed, Instant takenAt) {

    /** Longer than a kernel timestamp tick (1 to 10 ms): a change after this cannot carry the stamped time. */
    static final Duration TICK = Duration.ofMillis(20);
    // file times are the kernel's wall clock, so stamps are taken on that clock, not an injected one
    private static final InstantSource WALL = InstantSource.system();

    /** The file's stamp now, or empty when it cannot be read. */
    static Optional<FileStamp> of(Path file) {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:ino,dev,size,lastModifiedTime,ctime");
            Instant now = WALL.instant();
            return Optional.of(new FileStamp(file, unix.get("dev") + ":" + unix.get("ino"), (Long) unix.get("size"),
                    ((FileTime) unix.get("lastModifiedTime")).toInstant(), ((FileTime) unix.get("ctime")).toInstant(), now));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * The file's stamp once a tick has passed since its last change, waiting out the rest of the tick
     * when it changed just now (at most {@link #TICK}).
     */
    static Optional<FileStamp> settled(Path file) {
        Optional<FileStamp> stamp = of(file);
        if (stamp.isEmpty() || stamp.get().settled()) {
            return stamp;
        }
        Duration wait = Duration.between(stamp.get().takenAt, stamp.get().changed.plus(TICK));
        try {
            Thread.sleep(Math.min(TICK.toMillis(), Math.max(1, wait.toMillis() + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Optional<FileStamp> later = of(file);
        return later.filter(s -> s.sameFile(stamp.get()) && s.settled());
    }

    boolean settled() {
        return !takenAt.isBefore(changed.plus(TICK));
    }

    /** True when the file is still as stamped, and the stamp was taken late enough to tell. */
    boolean unchanged() {
        return settled() && of(file).map(this::sameFile).orElse(false);
    }

    boolean sameFile(FileStamp other) {
        return fileKey.equals(other.fileKey) && size == other.size && modified.equals(other.modified)
                && changed.equals(other.changed);
    }
}
