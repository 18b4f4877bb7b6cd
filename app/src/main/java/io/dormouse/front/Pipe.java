package io.dormouse.front;

/** The two descriptors of a kernel pipe, through which {@code splice(2)} moves a socket's bytes to another. */
record Pipe(int readEnd, int writeEnd) {
}
