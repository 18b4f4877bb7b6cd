package io.dormouse.telemetry;

import java.util.List;

/** Where each round's samples are kept: the server adapts the state database's metric samples to it. */
@FunctionalInterface
public interface SampleSink {

    /** Stores one round's samples, all taken at the same instant. */
    void store(List<VmSample> samples);
}
