package io.dormouse.blob;

import java.time.Instant;

/** An object as a listing shows it: garbage collection ages packs by {@code lastModified}. */
public record BlobInfo(String key, long size, Instant lastModified) {
}
