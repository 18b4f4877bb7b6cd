package io.dormouse.state;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;

/**
 * The state database: VMs, their transitions, snapshot versions, hosts, metric samples and calendar
 * events, each behind a small repository. Safe for concurrent use; close it once at shutdown.
 */
public interface StateStore extends AutoCloseable {

    /** Opens the database, creating it and applying migrations as needed; time comes from the system clock. */
    static StateStore open(DatabaseSettings settings) {
        return open(settings, InstantSource.system());
    }

    /**
     * Opens the database, creating it and applying migrations as needed.
     *
     * @param clock stamps created, updated, started and completed times
     * @throws StateException {@link StateException.Kind#UNAVAILABLE} when the database cannot be reached,
     *                        {@link StateException.Kind#MIGRATION_FAILED} when its schema cannot be brought up to date
     */
    static StateStore open(DatabaseSettings settings, InstantSource clock) {
        return Database.open(settings, clock, null);
    }

    /**
     * Opens the database as {@link #open(DatabaseSettings, InstantSource)} does, and reports its
     * connection pool (connections in use, waits, timeouts) to {@code registry}.
     */
    static StateStore open(DatabaseSettings settings, InstantSource clock, MeterRegistry registry) {
        return Database.open(settings, clock, registry);
    }

    VmRecords vms();

    VmEvents vmEvents();

    /** A VM's row and its journal entry written together. */
    Transitions transitions();

    SnapshotVersions snapshotVersions();

    Hosts hosts();

    MetricSamples metricSamples();

    CalendarEvents calendarEvents();

    /** Per-VM schedule policies and tuned thresholds. */
    VmSchedules vmSchedules();

    /** The scheduler's decisions. */
    ScheduleDecisions scheduleDecisions();

    /** Front-door bandwidth limits. */
    VmBandwidths vmBandwidths();

    /** Closes every pooled connection; the repositories fail afterwards. */
    @Override
    void close();
}
