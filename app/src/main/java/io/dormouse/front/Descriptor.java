package io.dormouse.front;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SocketChannel;

/**
 * The file descriptor number of a JDK socket channel, which {@code splice(2)} needs and NIO does not
 * publish: read through the JDK's internal {@code sun.nio.ch.SelChImpl}, exported to this code by
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (or the JAR manifest's {@code Add-Exports}).
 */
final class Descriptor {

    private static final MethodHandle FD_VAL;
    private static final String UNAVAILABLE;

    static {
        MethodHandle handle = null;
        String why = null;
        try {
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
            handle = MethodHandles.lookup().findVirtual(selectable, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SocketChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = "the socket descriptors are not reachable (" + e + "); the JVM needs"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED";
        }
        FD_VAL = handle;
        UNAVAILABLE = why;
    }

    private Descriptor() {
    }

    /** Why descriptors cannot be read, or null when they can. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /** {@code channel}'s descriptor; only when {@link #unavailable()} is null. */
    static int of(SocketChannel channel) {
        try {
            return (int) FD_VAL.invokeExact(channel);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, e);
        }
    }
}
