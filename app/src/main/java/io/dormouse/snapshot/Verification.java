package io.dormouse.snapshot;

/** A version that passed verification: every chunk read, authenticated and checked against its id. */
public record Verification(long vm, long version, long chunks, long bytes, long holeBytes) {
}
