package io.dormouse.hypervisor;

/** What a {@link Resize} did, per resource: a resize the host cannot do is reported, never silently dropped. */
public record ResizeResult(Outcome cpu, Outcome memory) {

    /** The outcome for one resource. */
    public sealed interface Outcome {
    }

    /** Nothing was asked for this resource. */
    public record Unchanged() implements Outcome {
    }

    /** Applied; {@code how} says by which means (e.g. "cgroup v1 cpu.cfs_quota_us"). */
    public record Applied(String how) implements Outcome {
    }

    /** Not possible on this host or machine, and why. */
    public record Unsupported(String why) implements Outcome {
    }
}
