package io.dormouse.telemetry;

/**
 * The series the {@link Sampler} records for each VM, by their names in {@code metric_samples}, with the
 * gauge each is exported as. Counts are per sampling interval ({@code telemetry.interval}); {@link #DEMAND}
 * is the one series the forecaster and the scheduler read.
 */
public enum VmMetric {
    /** CPU time the VM's QEMU process used per second of the interval: 1.0 is one core busy. */
    CPU("cpu", "dormouse.vm.cpu", null, "CPU time used per second by the VM's process (1 = one core)"),
    /** Resident memory of the VM's QEMU process, bytes (/proc/PID/status VmRSS). */
    RSS("rss_bytes", "dormouse.vm.memory.rss", "bytes", "resident memory of the VM's process"),
    /** Guest memory as the balloon device reports it (QMP query-balloon "actual"), bytes; absent without one. */
    BALLOON("balloon_bytes", "dormouse.vm.memory.balloon", "bytes", "guest memory as its balloon device reports it"),
    /** Connections the front door opened to the VM during the interval, health checks excluded. */
    CONNECTIONS("connections", "dormouse.vm.connections", null, "connections opened to the VM per interval"),
    /** Bytes the front door passed from clients to the VM during the interval. */
    BYTES_IN("bytes_in", "dormouse.vm.network.in", "bytes", "bytes from clients to the VM per interval"),
    /** Bytes the front door passed from the VM to clients during the interval. */
    BYTES_OUT("bytes_out", "dormouse.vm.network.out", "bytes", "bytes from the VM to clients per interval"),
    /** DNS queries for the VM's name during the interval, excluded sources not counted. */
    DNS_QUERIES("dns_queries", "dormouse.vm.dns.queries", null, "DNS queries for the VM's name per interval"),
    /** Demand: connections opened plus DNS queries for its name during the interval. */
    DEMAND("demand", "dormouse.vm.demand", null, "connections opened plus DNS queries per interval");

    private final String series;
    private final String meter;
    private final String baseUnit;
    private final String description;

    VmMetric(String series, String meter, String baseUnit, String description) {
        this.series = series;
        this.meter = meter;
        this.baseUnit = baseUnit;
        this.description = description;
    }

    /** The metric's name in the series API and in {@code metric_samples}. */
    public String series() {
        return series;
    }

    String meter() {
        return meter;
    }

    String baseUnit() {
        return baseUnit;
    }

    String description() {
        return description;
    }
}
