package io.dormouse.snapshot;

import io.dormouse.blob.BlobInfo;
import io.dormouse.blob.BlobStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Garbage collection: drops versions the retention policy does not keep, marks the chunks of
 * the versions that stay, deletes packs without a marked chunk and repacks packs that are mostly
 * unmarked. Packs younger than the grace period are left alone whatever they hold: they may belong
 * to a commit or pre-copy whose manifest is not written yet.
 */
final class Collector {

    /** A pack whose live records fill less than this share of it is rewritten. */
    static final double REPACK_BELOW = 0.5;

    private final BlobStore blobs;
    private final ChunkIndex index;
    private final Manifests manifests;
    private final SnapshotSettings settings;
    private final String keyId;
    private final InstantSource clock;

    Collector(BlobStore blobs, ChunkIndex index, Manifests manifests, SnapshotSettings settings, String keyId,
              InstantSource clock) {
        this.blobs = blobs;
        this.index = index;
        this.manifests = manifests;
        this.settings = settings;
        this.keyId = keyId;
        this.clock = clock;
    }

    /** Reports packs examined and repacked of the packs listed (the total grows by the packs to repack). */
    GcReport collect(Retention retention, Duration grace, Progress progress) {
        Instant now = clock.instant();
        List<Version> deleted = new ArrayList<>();
        Set<ChunkId> live = new HashSet<>();
        for (Map.Entry<Long, TreeMap<Long, Manifest>> vm : manifests.all().entrySet()) {
            List<Version> versions = vm.getValue().values().stream().map(Version::of).toList();
            Set<Long> keep = retention.keep(versions, now);
            for (Manifest manifest : vm.getValue().values()) {
                if (keep.contains(manifest.version())) {
                    mark(manifest, live);
                } else {
                    blobs.delete(ManifestCodec.key(manifest.vm(), manifest.version()));
                    deleted.add(Version.of(manifest));
                }
            }
        }
        return sweep(live, now.minus(grace), deleted, progress);
    }

    private static void mark(Manifest manifest, Set<ChunkId> live) {
        for (Manifest.Part part : manifest.parts()) {
            for (Manifest.Extent extent : part.extents()) {
                if (!extent.zero()) {
                    live.add(ChunkId.ofHex(extent.chunk()));
                }
            }
        }
    }

    private GcReport sweep(Set<ChunkId> live, Instant cutoff, List<Version> deleted, Progress progress) {
        Map<String, List<PackEntry>> survivors = new HashMap<>();
        List<BlobInfo> dead = new ArrayList<>();
        List<BlobInfo> mostlyDead = new ArrayList<>();
        Map<String, List<PackEntry>> mostlyDeadLive = new HashMap<>();
        List<BlobInfo> packs = PackFormat.list(blobs);
        int examined = 0;
        for (BlobInfo pack : packs) {
            progress.update(examined++, packs.size());
            String packId = PackFormat.packId(pack.key());
            PackFormat.Contents contents = PackFormat.read(blobs, pack.key());
            List<PackEntry> liveEntries = contents.entries().stream().filter(e -> live.contains(e.id())).toList();
            if (!pack.lastModified().isBefore(cutoff) || !keyId.equals(contents.keyId())) {
                survivors.put(packId, contents.entries());
            } else if (liveEntries.isEmpty()) {
                dead.add(pack);
            } else if (bytes(liveEntries) < REPACK_BELOW * bytes(contents.entries())) {
                mostlyDead.add(pack);
                mostlyDeadLive.put(pack.key(), liveEntries);
            } else {
                survivors.put(packId, contents.entries());
            }
        }
        PackWriter writer = new PackWriter(blobs, settings.packSize(), keyId, w -> index.add(w.packId(), w.entries()), 1);
        int total = packs.size() + mostlyDead.size();
        int done = packs.size();
        for (BlobInfo pack : mostlyDead) {
            progress.update(done++, total);
            byte[] bytes = blobs.get(pack.key());
            for (PackEntry entry : mostlyDeadLive.get(pack.key())) {
                // records are self-contained (the id, not the pack, is their associated data): copied as they are
                writer.add(entry.id(), bytes, (int) entry.offset(), entry.length());
            }
        }
        // the new packs are durable before any old one goes
        List<PackWriter.Written> repacked = writer.finish();
        long freed = 0;
        Set<String> removed = new HashSet<>();
        for (BlobInfo pack : dead) {
            freed += delete(pack, removed);
        }
        for (BlobInfo pack : mostlyDead) {
            freed += delete(pack, removed);
        }
        for (PackWriter.Written written : repacked) {
            survivors.put(written.packId(), written.entries());
            freed -= written.size();
        }
        if (!removed.isEmpty()) {
            index.remove(removed, survivors);
        }
        progress.update(total, total);
        return new GcReport(deleted, dead.size(), mostlyDead.size(), repacked.size(), freed,
                blobs.removeUnfinished(cutoff) + removeStrays(cutoff));
    }

    /**
     * Deletes objects under the pack prefix that are not packs (what a backend leaves of a write cut
     * short), once older than the grace period: the store never names anything there but packs.
     */
    private int removeStrays(Instant cutoff) {
        int removed = 0;
        List<BlobInfo> packs = PackFormat.list(blobs);
        for (BlobInfo object : blobs.list(PackFormat.PREFIX)) {
            if (!packs.contains(object) && object.lastModified().isBefore(cutoff)) {
                blobs.delete(object.key());
                removed++;
            }
        }
        return removed;
    }

    private long delete(BlobInfo pack, Set<String> removed) {
        blobs.delete(pack.key());
        removed.add(PackFormat.packId(pack.key()));
        return pack.size();
    }

    private static long bytes(List<PackEntry> entries) {
        return entries.stream().mapToLong(PackEntry::length).sum();
    }
}
