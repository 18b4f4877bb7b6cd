package io.dormouse.snapshot;

import java.time.Instant;

/**
 * A committed version of a VM's state, as the VM manager records it in the state database.
 *
 * @param parent      the version it was committed against, or null
 * @param manifestKey where its manifest lives in the blob store
 * @param totalBytes  bytes of VM state it describes
 * @param newBytes    bytes of chunks the store did not hold before it (before compression)
 * @param storedBytes bytes of packs its commit wrote (after compression and encryption)
 */
public record Version(long vm, long number, Long parent, Instant createdAt, long totalBytes, long newBytes,
                      long storedBytes, String manifestKey, String qemuVersion, String machineFingerprint) {

    static Version of(Manifest m) {
        return new Version(m.vm(), m.version(), m.parent(), m.createdAt(), m.totalBytes(), m.newBytes(),
                m.storedBytes(), ManifestCodec.key(m.vm(), m.version()), m.qemuVersion(), m.machineFingerprint());
    }
}
