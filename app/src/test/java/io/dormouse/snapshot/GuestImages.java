package io.dormouse.snapshot;

import io.dormouse.hypervisor.SavedState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Guest-like test files with the page patterns of real VM state: zero pages, incompressible pages,
 * text pages, repeated pages; and small in-place edits of them.
 */
final class GuestImages {

    static final int PAGE = 4096;

    private GuestImages() {
    }

    /** A RAM-like image of {@code pages} pages: about a third zero, a third random, the rest text and repeats. */
    static Path ram(Path file, int pages, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] image = new byte[pages * PAGE];
        byte[] repeated = page(random, 1);
        for (int p = 0; p < pages; p++) {
            int kind = random.nextInt(6);
            byte[] content = switch (kind) {
                case 0, 1 -> null;
                case 2, 3 -> page(random, 0);
                case 4 -> page(random, 2);
                default -> repeated;
            };
            if (content != null) {
                System.arraycopy(content, 0, image, p * PAGE, PAGE);
            }
        }
        return Files.write(file, image);
    }

    /** A byte stream (device state): compressible records of varying length. */
    static Path stream(Path file, int bytes, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        while (text.length() < bytes) {
            text.append("device ").append(random.nextInt(64)).append(" register ").append(random.nextInt(1 << 16))
                    .append(" value ").append(Long.toHexString(random.nextLong())).append('\n');
        }
        return Files.write(file, text.substring(0, bytes).getBytes(StandardCharsets.US_ASCII));
    }

    /** Overwrites {@code count} pages spread over the file with new random content. */
    static void touchPages(Path file, int count, long seed) throws IOException {
        Random random = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pages = f.length() / PAGE;
            for (int i = 0; i < count; i++) {
                f.seek((pages / count) * i * PAGE);
                f.write(page(random, 0));
            }
        }
    }

    static SavedState state(Path ram, Path devices, Path disk) throws IOException {
        return new SavedState(List.of(
                new SavedState.Part("ram", ram, SavedState.Layout.PAGE_ALIGNED, Files.size(ram)),
                new SavedState.Part("devices", devices, SavedState.Layout.STREAM, Files.size(devices)),
                new SavedState.Part("disk0", disk, SavedState.Layout.PAGE_ALIGNED, Files.size(disk))),
                "7.2.19", "sha256:machine-args", Duration.ofMillis(42));
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] page(Random random, int kind) {
        byte[] page = new byte[PAGE];
        if (kind == 0) {
            random.nextBytes(page);
        } else {
            byte[] line = ("kernel log line " + random.nextInt(1000) + ": something happened\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < PAGE; i++) {
                page[i] = line[i % line.length];
            }
        }
        return page;
    }
}
