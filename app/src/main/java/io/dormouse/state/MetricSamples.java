package io.dormouse.state;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The {@code metric_samples} table: the history forecasters learn from. A sample is keyed by VM,
 * metric and time (to the millisecond), so sending a batch again after a failure adds nothing.
 */
public final class MetricSamples {

    private static final RowMapper<MetricSample> ROW = (row, context) -> new MetricSample(
            row.getLong("vm_id"), row.getString("metric"), Columns.instant(row, "ts"), row.getDouble("value"));

    private final Database database;

    MetricSamples(Database database) {
        this.database = database;
    }

    /**
     * Stores the samples not stored yet; a sample whose key is taken keeps the first value.
     *
     * @return how many samples were new
     * @throws StateException {@link StateException.Kind#NOT_FOUND} when a sample names a VM that does not exist
     */
    public int append(List<MetricSample> samples) {
        if (samples.isEmpty()) {
            return 0;
        }
        return database.write("appending " + samples.size() + " metric samples", handle -> {
            PreparedBatch batch = handle.prepareBatch("INSERT INTO metric_samples (vm_id, metric, ts, value)"
                    + " VALUES (:vmId, :metric, :ts, :value) ON CONFLICT (vm_id, metric, ts) DO NOTHING");
            for (MetricSample sample : samples) {
                batch.bind("vmId", sample.vmId())
                        .bind("metric", sample.metric())
                        .bind("ts", sample.at().toEpochMilli())
                        .bind("value", sample.value())
                        .add();
            }
            int added = 0;
            for (int count : batch.execute()) {
                added += count;
            }
            return added;
        });
    }

    /** The samples of one metric of one VM from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    public List<MetricSample> range(long vmId, String metric, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("range of metric " + metric + " of VM " + vmId
                    + " must start before it ends, got from " + from + " to " + to);
        }
        return database.read("reading metric " + metric + " of VM " + vmId, handle -> handle
                .createQuery("SELECT vm_id, metric, ts, value FROM metric_samples"
                        + " WHERE vm_id = :vmId AND metric = :metric AND ts >= :from AND ts < :to ORDER BY ts")
                .bind("vmId", vmId)
                .bind("metric", metric)
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map(ROW)
                .list());
    }
}
