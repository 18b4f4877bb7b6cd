package io.dormouse.state;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The {@code metric_samples} and {@code metric_rollups} tables: the history forecasters learn from. A
 * sample is keyed by VM, metric and time (to the millisecond), so sending a batch again after a failure
 * adds nothing. Each new sample is added to its bucket of every {@link Resolution} in the same
 * transaction, so the buckets always summarize every sample ever appended, trimmed or not.
 */
public final class MetricSamples {

    private static final RowMapper<MetricSample> ROW = (row, context) -> new MetricSample(
            row.getLong("vm_id"), row.getString("metric"), Columns.instant(row, "ts"), row.getDouble("value"));
    private static final RowMapper<MetricRollup> ROLLUP = (row, context) -> new MetricRollup(
            row.getLong("vm_id"), row.getString("metric"), Resolution.ofMillis(row.getLong("resolution")),
            Columns.instant(row, "ts"), row.getLong("samples"), row.getDouble("total"), row.getDouble("peak"));

    /** What one {@link #trim} deleted. */
    public record Trimmed(int samples, int rollups) {
    }

    /** Sum, count and maximum of the new samples of one bucket, before they are written. */
    private record BucketKey(long vmId, String metric, Resolution resolution, long start) {
    }

    private static final class Bucket {
        long samples;
        double total;
        double peak = Double.NEGATIVE_INFINITY;

        void add(double value) {
            samples++;
            total += value;
            peak = Math.max(peak, value);
        }
    }

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
            int[] counts = batch.execute();
            Map<BucketKey, Bucket> buckets = new LinkedHashMap<>();
            int added = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    added++;
                    MetricSample sample = samples.get(i);
                    for (Resolution r : Resolution.values()) {
                        buckets.computeIfAbsent(new BucketKey(sample.vmId(), sample.metric(), r,
                                r.bucketOf(sample.at()).toEpochMilli()), k -> new Bucket()).add(sample.value());
                    }
                }
            }
            rollUp(handle, buckets);
            return added;
        });
    }

    private static void rollUp(Handle handle, Map<BucketKey, Bucket> buckets) {
        if (buckets.isEmpty()) {
            return;
        }
        // ON CONFLICT ... DO UPDATE and "excluded" are spelled the same in SQLite (3.24+) and PostgreSQL (9.5+).
        PreparedBatch batch = handle.prepareBatch("INSERT INTO metric_rollups"
                + " (vm_id, metric, resolution, ts, samples, total, peak)"
                + " VALUES (:vmId, :metric, :resolution, :ts, :samples, :total, :peak)"
                + " ON CONFLICT (vm_id, metric, resolution, ts) DO UPDATE SET"
                + " samples = metric_rollups.samples + excluded.samples,"
                + " total = metric_rollups.total + excluded.total,"
                + " peak = CASE WHEN excluded.peak > metric_rollups.peak THEN excluded.peak ELSE metric_rollups.peak END");
        buckets.forEach((key, bucket) -> batch.bind("vmId", key.vmId())
                .bind("metric", key.metric())
                .bind("resolution", key.resolution().millis())
                .bind("ts", key.start())
                .bind("samples", bucket.samples)
                .bind("total", bucket.total)
                .bind("peak", bucket.peak)
                .add());
        batch.execute();
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

    /**
     * The buckets of one metric of one VM at {@code resolution} that start from {@code from} (inclusive) to
     * {@code to} (exclusive), oldest first.
     */
    public List<MetricRollup> rollups(long vmId, String metric, Resolution resolution, Instant from, Instant to) {
        Objects.requireNonNull(resolution, "resolution");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("range of metric " + metric + " of VM " + vmId
                    + " must start before it ends, got from " + from + " to " + to);
        }
        return database.read("reading " + resolution.length() + " rollups of metric " + metric + " of VM " + vmId,
                handle -> handle.createQuery("SELECT vm_id, metric, resolution, ts, samples, total, peak"
                                + " FROM metric_rollups WHERE vm_id = :vmId AND metric = :metric"
                                + " AND resolution = :resolution AND ts >= :from AND ts < :to ORDER BY ts")
                        .bind("vmId", vmId)
                        .bind("metric", metric)
                        .bind("resolution", resolution.millis())
                        .bind("from", from.toEpochMilli())
                        .bind("to", to.toEpochMilli())
                        .map(ROLLUP)
                        .list());
    }

    /**
     * Deletes what is older than its retention, counted back from the newest sample of the same series (VM
     * and metric): raw samples older than {@code raw}, buckets that ended longer than their resolution's
     * retention ago. Counting from the series' own newest sample rather than from now keeps an imported
     * history of long ago, as long as nothing newer of that metric arrives.
     */
    public Trimmed trim(Duration raw, Map<Resolution, Duration> rollups) {
        Objects.requireNonNull(raw, "raw");
        for (Resolution r : Resolution.values()) {
            Objects.requireNonNull(rollups.get(r), "retention of " + r);
        }
        return database.write("trimming metric history", handle -> {
            List<Map<String, Object>> series = handle.createQuery(
                    "SELECT vm_id, metric, MAX(ts) AS newest FROM metric_samples GROUP BY vm_id, metric").mapToMap().list();
            int samples = 0;
            int buckets = 0;
            for (Map<String, Object> s : series) {
                long vmId = ((Number) s.get("vm_id")).longValue();
                String metric = (String) s.get("metric");
                long newest = ((Number) s.get("newest")).longValue();
                samples += handle.createUpdate("DELETE FROM metric_samples WHERE vm_id = :vmId AND metric = :metric"
                                + " AND ts < :cut")
                        .bind("vmId", vmId).bind("metric", metric).bind("cut", newest - raw.toMillis()).execute();
                for (Resolution r : Resolution.values()) {
                    buckets += handle.createUpdate("DELETE FROM metric_rollups WHERE vm_id = :vmId AND metric = :metric"
                                    + " AND resolution = :resolution AND ts <= :lastStart")
                            .bind("vmId", vmId).bind("metric", metric).bind("resolution", r.millis())
                            .bind("lastStart", newest - rollups.get(r).toMillis() - r.millis()).execute();
                }
            }
            return new Trimmed(samples, buckets);
        });
    }
}
