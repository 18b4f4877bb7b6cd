package io.dormouse.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A saved VM as local files: what a hibernation produces and what a restore consumes. The
 * snapshot store turns it into a version and back; this package never knows about the store.
 *
 * @param parts              the files making up the state, each part named once
 * @param qemuVersion        the QEMU that wrote the state; a restore needs a compatible one
 * @param machineFingerprint identifies the machine arguments; a restore must use the same
 * @param pausedFor          how long the guest was paused while the state was saved
 */
public record SavedState(List<Part> parts, String qemuVersion, String machineFingerprint, Duration pausedFor) {

    private static final Pattern PART_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /** How a part's bytes are laid out, which decides how it is cut into chunks. */
    public enum Layout {
        /** Fixed-size pages or blocks that stay in place (RAM file, disk image): fixed-size chunks. */
        PAGE_ALIGNED,
        /** A byte stream whose contents shift (device state, migration stream): content-defined chunks. */
        STREAM
    }

    /**
     * One file of a saved VM.
     *
     * @param name   {@code ram}, {@code devices}, {@code disk0}, ...: lower case letters, digits, '-', '_'
     * @param file   where the bytes are on local disk
     * @param size   its length in bytes
     */
    public record Part(String name, Path file, Layout layout, long size) {

        public Part {
            if (name == null || !PART_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("part name must be 1-32 of a-z, 0-9, '-', '_' starting with a"
                        + " letter, got " + (name == null ? "null" : "'" + name + "'"));
            }
            if (file == null || layout == null) {
                throw new IllegalArgumentException("part '" + name + "' needs a file and a layout, got file " + file
                        + ", layout " + layout);
            }
            if (size < 0) {
                throw new IllegalArgumentException("size of part '" + name + "' must be 0 or more, got " + size);
            }
        }
    }

    public SavedState {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("parts must name at least one part, got " + parts);
        }
        parts = List.copyOf(parts);
        Set<String> names = new HashSet<>();
        for (Part part : parts) {
            if (!names.add(part.name())) {
                throw new IllegalArgumentException("parts must have distinct names, got '" + part.name() + "' twice");
            }
        }
        requireText("qemuVersion", qemuVersion);
        requireText("machineFingerprint", machineFingerprint);
        if (pausedFor == null || pausedFor.isNegative()) {
            throw new IllegalArgumentException("pausedFor must be zero or more, got " + pausedFor);
        }
    }

    /** Sum of the parts' sizes. */
    public long totalBytes() {
        return parts.stream().mapToLong(Part::size).sum();
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
