package io.dormouse.snapshot;

import java.util.List;

/**
 * What a garbage collection did. The caller removes {@code deletedVersions} from the state database.
 *
 * @param packsDeleted  packs without a live chunk, removed
 * @param packsRepacked mostly dead packs whose live chunks were copied into new packs, then removed
 * @param packsWritten  new packs the repacking wrote
 * @param bytesFreed    bytes of packs removed, less bytes of packs written
 * @param unfinishedRemoved leftovers of writes that never finished (a process killed half-way), removed
 */
public record GcReport(List<Version> deletedVersions, int packsDeleted, int packsRepacked, int packsWritten,
                       long bytesFreed, int unfinishedRemoved) {

    public GcReport {
        deletedVersions = List.copyOf(deletedVersions);
    }
}
