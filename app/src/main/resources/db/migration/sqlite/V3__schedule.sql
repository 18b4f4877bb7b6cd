-- The scheduler's per-VM policy and tuned thresholds (JSON, TEXT as in V1), and the decisions it took
-- or, in forecast-only mode, would have taken. The same as ../postgresql/V3__schedule.sql but for ids
-- and booleans.

CREATE TABLE vm_schedules (
    vm_id      BIGINT NOT NULL PRIMARY KEY REFERENCES vms (id) ON DELETE CASCADE,
    policy     TEXT,
    tuned      TEXT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE schedule_decisions (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    vm_id  BIGINT  NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    at     BIGINT  NOT NULL,
    action TEXT    NOT NULL,
    cause  TEXT    NOT NULL,
    reason TEXT    NOT NULL,
    acted  INTEGER NOT NULL CHECK (acted IN (0, 1))
);
CREATE INDEX schedule_decisions_by_vm ON schedule_decisions (vm_id, id);
