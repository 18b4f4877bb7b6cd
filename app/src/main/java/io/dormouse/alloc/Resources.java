package io.dormouse.alloc;

/**
 * An amount of host capacity: what a VM needs or what a host has. A host's {@code netMbps} of zero
 * means its network is not metered, so network needs always fit.
 */
public record Resources(int vcpus, long memoryMib, long netMbps) {

    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources {
        if (vcpus < 0 || memoryMib < 0 || netMbps < 0) {
            throw new IllegalArgumentException("resources must be zero or more, got vcpus " + vcpus + ", memoryMib "
                    + memoryMib + ", netMbps " + netMbps);
        }
    }

    public Resources plus(Resources other) {
        return new Resources(vcpus + other.vcpus, memoryMib + other.memoryMib, netMbps + other.netMbps);
    }

    Resources minus(Resources other) {
        return new Resources(Math.max(0, vcpus - other.vcpus), Math.max(0, memoryMib - other.memoryMib),
                Math.max(0, netMbps - other.netMbps));
    }

    /** True when {@code need} fits in this amount (seen as what is free on a host of {@code capacity}). */
    boolean holds(Resources need, Resources capacity) {
        return need.vcpus <= vcpus && need.memoryMib <= memoryMib
                && (capacity.netMbps == 0 || need.netMbps <= netMbps);
    }

    @Override
    public String toString() {
        return vcpus + " vCPU, " + memoryMib + " MiB, " + netMbps + " Mbit/s";
    }
}
