package io.dormouse.snapshot;

/** What a pre-copy of a running VM's RAM did: bytes read, and bytes of chunks new to the store. */
public record Precopy(long vm, long scannedBytes, long newBytes, long storedBytes) {
}
