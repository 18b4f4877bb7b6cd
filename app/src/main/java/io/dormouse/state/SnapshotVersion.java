package io.dormouse.state;

import java.time.Instant;

/**
 * A committed snapshot version of a VM: the row is written last, after the packs and the manifest are
 * durable, so a row always points at a restorable version.
 *
 * @param parentVersion      the version this one was saved incrementally against; null for a first version
 * @param manifestLocation   where the manifest lives in the blob store
 * @param totalBytes         size of the VM state the version describes
 * @param newBytes           bytes this version added to the store (the rest was shared)
 * @param machineFingerprint identifies the machine arguments; a restore needs the same
 */
public record SnapshotVersion(long vmId, long version, Long parentVersion, String manifestLocation,
                              Instant createdAt, long totalBytes, long newBytes, String qemuVersion,
                              String machineFingerprint) {

    public SnapshotVersion {
        if (version < 1) {
            throw new IllegalArgumentException("version of VM " + vmId + " must be 1 or more, got " + version);
        }
        if (parentVersion != null && (parentVersion < 1 || parentVersion >= version)) {
            throw new IllegalArgumentException("parentVersion of VM " + vmId + " version " + version
                    + " must be an earlier version, got " + parentVersion);
        }
        Require.text("manifestLocation", manifestLocation);
        Require.text("qemuVersion", qemuVersion);
        Require.text("machineFingerprint", machineFingerprint);
        if (createdAt == null) {
            throw new IllegalArgumentException("createdAt of VM " + vmId + " version " + version + " is missing");
        }
        if (totalBytes < 0 || newBytes < 0 || newBytes > totalBytes) {
            throw new IllegalArgumentException("bytes of VM " + vmId + " version " + version
                    + " must satisfy 0 <= newBytes <= totalBytes, got newBytes " + newBytes
                    + ", totalBytes " + totalBytes);
        }
    }
}
