package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which way the front door splices: splice(2) where the JVM allows it, else the copy loop, saying why. */
class SpliceTest {

    @Test
    void anotherSystemThanLinuxIsCopiedWithTheReason() {
        assertThat(Splice.unavailable("Mac OS X")).isEqualTo("splice(2) is Linux only, this is Mac OS X");
    }

    @Test
    void thisJvmSplicesWithTheFlagsTheBuildGivesIt() {
        assertThat(Descriptor.unavailable()).as("--add-exports java.base/sun.nio.ch=ALL-UNNAMED reaches the"
                + " socket descriptors").isNull();
        assertThat(Splice.unavailable("Linux")).isNull();
    }
}
