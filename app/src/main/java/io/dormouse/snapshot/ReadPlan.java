package io.dormouse.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which range reads fetch the chunks of a part: the chunks grouped by pack, sorted by offset,
 * and neighbours closer than a gap merged into one read, since fewer requests beat fewer bytes
 * on an object store.
 */
final class ReadPlan {

    private static final long MERGE_GAP = 256 << 10;
    private static final long MAX_READ = 16 << 20;

    /** A chunk to fetch: where it goes in the part, and where its record is. */
    record Wanted(Manifest.Extent extent, ChunkId id, ChunkIndex.Location location) {
    }

    /** One range read of a pack and the chunks inside it. */
    record Read(String packId, long start, long end, List<Wanted> chunks) {
    }

    private ReadPlan() {
    }

    /**
     * @throws SnapshotException {@link SnapshotException.Kind#NOT_FOUND} when a chunk is in no pack
     */
    static List<Read> of(Manifest manifest, Manifest.Part part, ChunkIndex index) {
        Map<String, List<Wanted>> byPack = new LinkedHashMap<>();
        for (Manifest.Extent extent : part.extents()) {
            if (extent.zero()) {
                continue;
            }
            ChunkId id = ChunkId.ofHex(extent.chunk());
            ChunkIndex.Location location = index.find(id);
            if (location == null) {
                throw new SnapshotException(SnapshotException.Kind.NOT_FOUND, "VM " + manifest.vm() + " version "
                        + manifest.version() + " part '" + part.name() + "' at offset " + extent.offset() + ": chunk " + id
                        + " is in no pack of the store");
            }
            byPack.computeIfAbsent(location.packId(), p -> new ArrayList<>()).add(new Wanted(extent, id, location));
        }
        List<Read> reads = new ArrayList<>();
        for (Map.Entry<String, List<Wanted>> pack : byPack.entrySet()) {
            List<Wanted> wanted = pack.getValue();
            wanted.sort(Comparator.comparingLong(w -> w.location().offset()));
            int first = 0;
            while (first < wanted.size()) {
                long start = wanted.get(first).location().offset();
                long end = start + wanted.get(first).location().length();
                int last = first + 1;
                while (last < wanted.size()) {
                    ChunkIndex.Location next = wanted.get(last).location();
                    long nextEnd = Math.max(end, next.offset() + next.length());
                    if (next.offset() - end > MERGE_GAP || nextEnd - start > MAX_READ) {
                        break;
                    }
                    end = nextEnd;
                    last++;
                }
                reads.add(new Read(pack.getKey(), start, end, List.copyOf(wanted.subList(first, last))));
                first = last;
            }
        }
        return reads;
    }
}
