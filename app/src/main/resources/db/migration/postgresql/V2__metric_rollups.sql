-- Downsampled metric history beside the raw samples: one row per VM, metric, resolution (bucket
-- length in milliseconds: 300000 or 3600000) and bucket (its start, epoch milliseconds, a
-- multiple of the resolution), holding the count, sum and maximum of the samples that fell in it.
-- Rows are added to as samples are appended, so raw samples can age out while their buckets stay.
-- The same as ../sqlite/V2__metric_rollups.sql apart from storage options.

CREATE TABLE metric_rollups (
    vm_id      BIGINT           NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    metric     TEXT             NOT NULL,
    resolution BIGINT           NOT NULL CHECK (resolution > 0),
    ts         BIGINT           NOT NULL,
    samples    BIGINT           NOT NULL CHECK (samples > 0),
    total      DOUBLE PRECISION NOT NULL,
    peak       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (vm_id, metric, resolution, ts)
);

-- Samples stored before this migration get their buckets too. The double modulo floors negative
-- times (before 1970) the way the application does.
INSERT INTO metric_rollups (vm_id, metric, resolution, ts, samples, total, peak)
SELECT vm_id, metric, r.resolution, ts - (((ts % r.resolution) + r.resolution) % r.resolution), COUNT(*), SUM(value),
       MAX(value)
FROM metric_samples CROSS JOIN (SELECT 300000 AS resolution UNION ALL SELECT 3600000) r
GROUP BY vm_id, metric, r.resolution, ts - (((ts % r.resolution) + r.resolution) % r.resolution);
