package io.dormouse.vm;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand, starting at the real time (the database stamps rows with real time). */
final class TestClock implements InstantSource {

    private volatile Instant now = Instant.now();

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }
}
