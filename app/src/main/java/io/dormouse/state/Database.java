package io.dormouse.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The open state database: a connection pool, JDBI over it, and the repositories that share them. */
final class Database implements StateStore {

    /** Enough for the control plane's concurrent writers; SQLite serializes writes anyway. */
    private static final int POOL_SIZE = 8;

    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final VmRecords vms;
    private final VmEvents vmEvents;
    private final Transitions transitions;
    private final SnapshotVersions snapshotVersions;
    private final Hosts hosts;
    private final MetricSamples metricSamples;
    private final CalendarEvents calendarEvents;
    private final VmSchedules vmSchedules;
    private final ScheduleDecisions scheduleDecisions;
    private final VmBandwidths vmBandwidths;

    private Database(DatabaseSettings settings, HikariDataSource pool, InstantSource clock) {
        this.settings = settings;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.vms = new VmRecords(this, clock);
        this.vmEvents = new VmEvents(this, clock);
        this.transitions = new Transitions(this, vms, vmEvents);
        this.snapshotVersions = new SnapshotVersions(this);
        this.hosts = new Hosts(this, clock);
        this.metricSamples = new MetricSamples(this);
        this.calendarEvents = new CalendarEvents(this, clock);
        this.vmSchedules = new VmSchedules(this, clock);
        this.scheduleDecisions = new ScheduleDecisions(this);
        this.vmBandwidths = new VmBandwidths(this, clock);
    }

    static Database open(DatabaseSettings settings, InstantSource clock, MeterRegistry registry) {
        Dialect dialect = Dialect.of(settings);
        dialect.prepare(settings);
        HikariConfig config = new HikariConfig();
        config.setPoolName("dormouse-state");
        config.setJdbcUrl(settings.url());
        config.setDataSourceProperties(dialect.connectionProperties(settings));
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Math.max(250, settings.busyTimeout().toMillis()));
        // Connect once at start, to tell "cannot reach the database" from "cannot migrate it".
        config.setInitializationFailTimeout(1);
        if (registry != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StateException(StateException.Kind.UNAVAILABLE, "cannot open the state database "
                    + settings.maskedUrl() + ": " + cause.getMessage() + ". " + remedy(dialect), e);
        }
        try {
            Migrations.apply(pool, settings);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(settings, pool, clock);
    }

    /** Runs {@code work} on a connection of its own, outside any transaction. */
    <T> T read(String action, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw failure(action, e);
        }
    }

    /** Runs {@code work} in one transaction: all of it happens or none. */
    <T> T write(String action, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            throw failure(action, e);
        }
    }

    @Override
    public VmRecords vms() {
        return vms;
    }

    @Override
    public VmEvents vmEvents() {
        return vmEvents;
    }

    @Override
    public Transitions transitions() {
        return transitions;
    }

    @Override
    public SnapshotVersions snapshotVersions() {
        return snapshotVersions;
    }

    @Override
    public Hosts hosts() {
        return hosts;
    }

    @Override
    public MetricSamples metricSamples() {
        return metricSamples;
    }

    @Override
    public CalendarEvents calendarEvents() {
        return calendarEvents;
    }

    @Override
    public VmSchedules vmSchedules() {
        return vmSchedules;
    }

    @Override
    public VmBandwidths vmBandwidths() {
        return vmBandwidths;
    }

    @Override
    public ScheduleDecisions scheduleDecisions() {
        return scheduleDecisions;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The pooled connections, for tests that check how connections are set up. */
    DataSource dataSource() {
        return pool;
    }

    /** Turns a driver error into the kind of failure callers act on, naming what was being done. */
    private StateException failure(String action, JdbiException e) {
        SQLException sql = sqlCause(e);
        String detail = sql == null ? e.getMessage() : sql.getMessage();
        StateException.Kind kind = sql == null ? StateException.Kind.FAILED : kind(sql);
        String message = switch (kind) {
            case DUPLICATE -> action + ": a row with the same key exists already";
            case NOT_FOUND -> action + ": it refers to a VM that does not exist";
            case UNAVAILABLE -> action + ": the state database " + settings.maskedUrl()
                    + " cannot be reached (" + detail + "). " + remedy(Dialect.of(settings));
            default -> action + " failed on " + settings.maskedUrl() + ": " + detail;
        };
        return new StateException(kind, message, e);
    }

    private static StateException.Kind kind(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            return switch (code) {
                case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> StateException.Kind.DUPLICATE;
                case SQLITE_CONSTRAINT_FOREIGNKEY -> StateException.Kind.NOT_FOUND;
                case SQLITE_CANTOPEN -> StateException.Kind.UNAVAILABLE;
                default -> StateException.Kind.FAILED;
            };
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // SQLSTATE classes and codes of the SQL standard, as PostgreSQL reports them (PostgreSQL docs, Appendix A).
        if (state.equals("23505")) {
            return StateException.Kind.DUPLICATE;
        }
        if (state.equals("23503")) {
            return StateException.Kind.NOT_FOUND;
        }
        if (state.startsWith("08") || state.startsWith("57P")) {
            return StateException.Kind.UNAVAILABLE;
        }
        return StateException.Kind.FAILED;
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String remedy(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> "Check that database.url names a file this process may create and write.";
            case POSTGRESQL -> "Check database.url, database.user and database.password, and that the PostgreSQL"
                    + " server is running and accepts connections from this host.";
        };
    }
}
