-- Bandwidth limits set at the TCP front door (PUT /v1/vms/{name}/bandwidth), kept across restarts; a VM
-- without a row is unlimited. The same as ../sqlite/V4__bandwidth.sql.

CREATE TABLE vm_bandwidth (
    vm_id            BIGINT NOT NULL PRIMARY KEY REFERENCES vms (id) ON DELETE CASCADE,
    bytes_per_second BIGINT NOT NULL CHECK (bytes_per_second > 0),
    updated_at       BIGINT NOT NULL
);
