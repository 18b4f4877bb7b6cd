-- The first state schema. Times are epoch milliseconds (BIGINT), JSON is TEXT: the same as in
-- ../postgresql/V1__state.sql, which differs only in how ids are
-- generated and in storage options.
-- AUTOINCREMENT: ids are never reused, because blob store paths (manifests/<vm id>/...) and
-- transition journals outlive a deleted row.

CREATE TABLE vms (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    state         TEXT    NOT NULL,
    spec          TEXT    NOT NULL,
    address       TEXT,
    front_address TEXT,
    priority      INTEGER NOT NULL,
    sla_class     TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    version       BIGINT  NOT NULL
);

CREATE TABLE vm_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    vm_id        BIGINT NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    from_state   TEXT   NOT NULL,
    to_state     TEXT   NOT NULL,
    reason       TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    completed_at BIGINT,
    duration_ms  BIGINT,
    outcome      TEXT CHECK (outcome IN ('SUCCEEDED', 'FAILED', 'ROLLED_BACK')),
    error        TEXT,
    CHECK ((completed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX vm_events_by_vm ON vm_events (vm_id, id);
CREATE INDEX vm_events_open ON vm_events (id) WHERE completed_at IS NULL;

CREATE TABLE snapshot_versions (
    vm_id               BIGINT NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    version             BIGINT NOT NULL,
    parent_version      BIGINT,
    manifest_location   TEXT   NOT NULL,
    created_at          BIGINT NOT NULL,
    total_bytes         BIGINT NOT NULL,
    new_bytes           BIGINT NOT NULL,
    qemu_version        TEXT   NOT NULL,
    machine_fingerprint TEXT   NOT NULL,
    PRIMARY KEY (vm_id, version)
);

CREATE TABLE hosts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    vcpus        INTEGER NOT NULL,
    memory_mib   BIGINT  NOT NULL,
    net_mbps     BIGINT  NOT NULL,
    labels       TEXT    NOT NULL,
    heartbeat_at BIGINT  NOT NULL
);

CREATE TABLE metric_samples (
    vm_id  BIGINT           NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    metric TEXT             NOT NULL,
    ts     BIGINT           NOT NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (vm_id, metric, ts)
) WITHOUT ROWID;

CREATE TABLE calendar_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT             NOT NULL,
    kind        TEXT             NOT NULL CHECK (kind IN ('recurring', 'one-off')),
    schedule    TEXT,
    starts_at   BIGINT,
    ends_at     BIGINT,
    duration_ms BIGINT           NOT NULL,
    load_factor DOUBLE PRECISION NOT NULL,
    vm_name     TEXT,
    created_at  BIGINT           NOT NULL,
    CHECK (kind <> 'recurring' OR schedule IS NOT NULL),
    CHECK (kind <> 'one-off' OR starts_at IS NOT NULL)
);
