package io.dormouse.api;

import io.dormouse.snapshot.GcReport;
import io.dormouse.snapshot.Retention;
import io.dormouse.snapshot.SnapshotException;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.snapshot.Verification;
import io.dormouse.snapshot.Version;
import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Integrity and housekeeping of the snapshot store: verify a VM's versions (every chunk read and
 * checked), and garbage collection with the configured retention.
 */
public final class SnapshotRoutes implements HttpService {

    private final StateStore state;
    private final SnapshotStore store;
    private final Retention retention;
    private final Duration grace;

    public SnapshotRoutes(StateStore state, SnapshotStore store, Retention retention, Duration grace) {
        this.state = state;
        this.store = store;
        this.retention = retention;
        this.grace = grace;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/vms/{name}/snapshots/verify", (req, res) -> {
            VmRecord vm = Requests.vm(state, req);
            Json.send(res, verify(vm, versions(vm)));
        }).post("/vms/{name}/snapshots/{version}/verify", (req, res) -> {
            VmRecord vm = Requests.vm(state, req);
            Json.send(res, verify(vm, List.of(version(req.path().pathParameters().get("version")))));
        }).post("/snapshots/gc", (req, res) -> Json.send(res, gc()));
    }

    /** One version's verdict: a damaged chunk is named with its pack and offset in {@code error}. */
    record VerifyView(String vm, long version, boolean ok, long chunks, long bytes, long holeBytes, String error) {
    }

    record DeletedView(long vmId, long version) {
    }

    record GcView(List<DeletedView> deletedVersions, int packsDeleted, int packsRepacked, int packsWritten,
                  long bytesFreed, int unfinishedRemoved) {
    }

    /** The versions the state database records, else those the store holds (before the VM manager records them). */
    private List<Long> versions(VmRecord vm) {
        List<Long> recorded = state.snapshotVersions().listByVm(vm.id()).stream().map(SnapshotVersion::version).toList();
        if (!recorded.isEmpty()) {
            return recorded;
        }
        return store.versions(vm.id()).stream().map(Version::number).toList();
    }

    private List<VerifyView> verify(VmRecord vm, List<Long> versions) {
        if (versions.isEmpty()) {
            throw ApiException.notFound("VM " + vm.name() + " has no snapshot versions");
        }
        List<VerifyView> views = new ArrayList<>();
        for (long version : versions) {
            try {
                Verification v = store.verify(vm.id(), version);
                views.add(new VerifyView(vm.name(), version, true, v.chunks(), v.bytes(), v.holeBytes(), null));
            } catch (SnapshotException e) {
                if (e.kind() != SnapshotException.Kind.CORRUPT && e.kind() != SnapshotException.Kind.NOT_FOUND) {
                    throw e;
                }
                views.add(new VerifyView(vm.name(), version, false, 0, 0, 0, e.getMessage()));
            }
        }
        return views;
    }

    private GcView gc() {
        GcReport report = store.gc(retention, grace);
        List<DeletedView> deleted = new ArrayList<>();
        for (Version v : report.deletedVersions()) {
            state.snapshotVersions().delete(v.vm(), v.number());
            deleted.add(new DeletedView(v.vm(), v.number()));
        }
        return new GcView(deleted, report.packsDeleted(), report.packsRepacked(), report.packsWritten(),
                report.bytesFreed(), report.unfinishedRemoved());
    }

    private static long version(String text) {
        try {
            long version = Long.parseLong(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("version must be a whole number of 1 or more, got " + text);
    }
}
