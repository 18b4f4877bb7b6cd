package io.dormouse.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Instant;

/** Read-only views of the fleet kept in the state database: VMs, their snapshot versions, hosts. */
public final class FleetRoutes implements HttpService {

    private final StateStore store;

    public FleetRoutes(StateStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms", (req, res) -> Json.send(res, store.vms().list().stream().map(FleetRoutes::view).toList()))
                .get("/vms/{name}", (req, res) -> Json.send(res, view(Requests.vm(store, req))))
                .get("/vms/{name}/snapshots", (req, res) -> Json.send(res,
                        store.snapshotVersions().listByVm(Requests.vm(store, req).id()).stream().map(FleetRoutes::view).toList()))
                .get("/hosts", (req, res) -> Json.send(res, store.hosts().list()));
    }

    record VmView(String name, String state, String address, String frontAddress, int priority, String slaClass,
                  Instant createdAt, Instant updatedAt, JsonNode spec) {
    }

    static VmView view(VmRecord vm) {
        JsonNode spec;
        try {
            spec = Json.MAPPER.readTree(vm.spec() == null ? "{}" : vm.spec());
        } catch (JsonProcessingException e) {
            spec = Json.MAPPER.getNodeFactory().textNode(vm.spec());
        }
        return new VmView(vm.name(), vm.state(), vm.address(), vm.frontAddress(), vm.priority(), vm.slaClass(),
                vm.createdAt(), vm.updatedAt(), spec);
    }

    record SnapshotView(long version, Long parentVersion, Instant createdAt, long totalBytes, long newBytes,
                        String location, String qemuVersion, String machineFingerprint) {
    }

    static SnapshotView view(SnapshotVersion v) {
        return new SnapshotView(v.version(), v.parentVersion(), v.createdAt(), v.totalBytes(), v.newBytes(),
                v.manifestLocation(), v.qemuVersion(), v.machineFingerprint());
    }
}
