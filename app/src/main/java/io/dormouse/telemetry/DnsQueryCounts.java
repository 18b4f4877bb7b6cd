package io.dormouse.telemetry;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * DNS queries per VM, counted on the DNS server's receive loops: one atomic increment in pages of counters
 * indexed by VM id, so a query allocates nothing once its VM's page exists (ids are dense, from 1).
 */
public final class DnsQueryCounts implements DnsQuerySource {

    private static final int PAGE_BITS = 10;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    /** Database ids of VMs stay far below this; the bound keeps page numbers ints. */
    private static final long MAX_ID = (long) Integer.MAX_VALUE;

    private volatile AtomicLongArray[] pages = new AtomicLongArray[4];

    /** Counts one query for VM {@code vmId}. */
    public void count(long vmId) {
        AtomicLongArray page = page(vmId);
        if (page == null) {
            page = grow(vmId);
        }
        page.incrementAndGet((int) (vmId & (PAGE_SIZE - 1)));
    }

    @Override
    public long queries(long vmId) {
        AtomicLongArray page = page(vmId);
        return page == null ? 0 : page.get((int) (vmId & (PAGE_SIZE - 1)));
    }

    private AtomicLongArray page(long vmId) {
        if (vmId < 0 || vmId > MAX_ID) {
            throw new IllegalArgumentException("VM id " + vmId + " is out of range; allowed 0-" + MAX_ID);
        }
        int index = (int) (vmId >>> PAGE_BITS);
        AtomicLongArray[] current = pages;
        return index < current.length ? current[index] : null;
    }

    /** Adds the page of {@code vmId}; a new array is published whole, so readers never see it half-built. */
    private synchronized AtomicLongArray grow(long vmId) {
        int index = (int) (vmId >>> PAGE_BITS);
        AtomicLongArray[] current = pages;
        if (index < current.length && current[index] != null) {
            return current[index];
        }
        AtomicLongArray[] next = Arrays.copyOf(current, Math.max(current.length, Integer.highestOneBit(index) << 1));
        next[index] = new AtomicLongArray(PAGE_SIZE);
        pages = next;
        return next[index];
    }
}
