package io.dormouse.telemetry;

/** Where the {@link Sampler} reads DNS queries per VM: totals since the DNS server started, from zero. */
@FunctionalInterface
public interface DnsQuerySource {

    /** Queries for the VM's name so far; 0 for a VM never asked for. */
    long queries(long vmId);
}
