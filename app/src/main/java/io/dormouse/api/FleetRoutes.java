package io.dormouse.api;

import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.StateStore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Instant;

/** Read-only views kept in the state database: VMs' snapshot versions, hosts. */
public final class FleetRoutes implements HttpService {

    private final StateStore store;

    public FleetRoutes(StateStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms/{name}/snapshots", (req, res) -> Json.send(res,
                        store.snapshotVersions().listByVm(Requests.vm(store, req).id()).stream().map(FleetRoutes::view).toList()))
                .get("/hosts", (req, res) -> Json.send(res, store.hosts().list()));
    }

    record SnapshotView(long version, Long parentVersion, Instant createdAt, long totalBytes, long newBytes,
                        String location, String qemuVersion, String machineFingerprint) {
    }

    static SnapshotView view(SnapshotVersion v) {
        return new SnapshotView(v.version(), v.parentVersion(), v.createdAt(), v.totalBytes(), v.newBytes(),
                v.manifestLocation(), v.qemuVersion(), v.machineFingerprint());
    }
}
