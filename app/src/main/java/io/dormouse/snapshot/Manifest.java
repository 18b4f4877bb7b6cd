package io.dormouse.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dormouse.hypervisor.SavedState;
import java.time.Instant;
import java.util.List;

/**
 * One version of one VM: what its parts are made of, chunk by chunk. Written once, never changed;
 * stored inside an authenticated envelope ({@link ManifestCodec}).
 *
 * @param parent       the version this one was committed against, or null
 * @param blockSize    fixed chunk size of page-aligned parts when this version was cut
 * @param totalBytes   bytes of VM state the version describes
 * @param newBytes     bytes of chunks that the store did not hold before this version
 * @param storedBytes  bytes of packs this version's commit wrote to the blob store (the manifest not counted)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record Manifest(long vm, long version, Long parent, Instant createdAt, String qemuVersion, String machineFingerprint,
                long pausedMillis, int blockSize, String keyId, boolean encrypted, long totalBytes, long newBytes,
                long storedBytes, List<Part> parts) {

    Manifest {
        parts = List.copyOf(parts);
    }

    /** One file of the saved VM. {@code chunking} says how it was cut, e.g. {@code fixed-16384}. */
    record Part(String name, SavedState.Layout layout, long size, String chunking, List<Extent> extents) {

        Part {
            extents = List.copyOf(extents);
        }
    }

    /** A range of a part: a stored chunk, or a hole of zero bytes that is not stored at all. */
    record Extent(long offset, long length, @JsonInclude(JsonInclude.Include.NON_NULL) String chunk,
                  @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean zero) {

        static Extent chunk(long offset, long length, ChunkId id) {
            return new Extent(offset, length, id.hex(), false);
        }

        static Extent hole(long offset, long length) {
            return new Extent(offset, length, null, true);
        }
    }
}
