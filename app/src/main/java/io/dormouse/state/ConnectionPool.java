package io.dormouse.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * A few reusable connections, so that a PostgreSQL query does not pay for a new server process and
 * a SQLite query does not reopen the file. At most {@code size} connections are lent at once.
 */
final class ConnectionPool implements ConnectionFactory, AutoCloseable {

    /** Opens one new connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final int size;
    private final Duration waitLimit;
    private final Semaphore lendable;
    private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
    private volatile boolean closed;

    ConnectionPool(Opener opener, int size, Duration waitLimit) {
        this.opener = opener;
        this.size = size;
        this.waitLimit = waitLimit;
        this.lendable = new Semaphore(size, true);
    }

    @Override
    public Connection openConnection() throws SQLException {
        acquire();
        try {
            Connection connection;
            while ((connection = idle.pollFirst()) != null) {
                if (connection.isValid(1)) {
                    return connection;
                }
                closeQuietly(connection);
            }
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            lendable.release();
            throw e;
        }
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        try {
            if (closed || connection.isClosed() || !connection.getAutoCommit()) {
                connection.close();
            } else {
                idle.offerFirst(connection);
            }
        } finally {
            lendable.release();
        }
        if (closed) {
            drain();
        }
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void acquire() throws SQLException {
        if (closed) {
            throw new SQLException("the state database is closed");
        }
        try {
            if (!lendable.tryAcquire(waitLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLException("all " + size + " database connections stayed in use for " + waitLimit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
    }

    private void drain() {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The connection is being discarded; a failure to close it changes nothing for the caller.
        }
    }
}
