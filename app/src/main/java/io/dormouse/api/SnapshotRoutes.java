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
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Integrity and housekeeping of the snapshot store: verify a VM's versions (every chunk read and
 * checked), and garbage collection with the configured retention.
 */
public final class SnapshotRoutes implements HttpService {

    private final StateStore state;
    private final SnapshotStore store;
    private final Retention retention;
    private final Duration grace;
    private final OperationProgress progress = new OperationProgress();

    public SnapshotRoutes(StateStore state, SnapshotStore store, Retention retention, Duration grace) {
        this.state = state;
        this.store = store;
        this.retention = retention;
        this.grace = grace;
    }

    /**
     * Verify and gc take an optional {@code ?progress=TOKEN}; while they run,
     * {@code GET /snapshots/progress/TOKEN} tells how far they are (404 once they ended).
     */
    @Override
    public void routing(HttpRules rules) {
        rules.post("/vms/{name}/snapshots/verify", (req, res) -> {
            VmRecord vm = Requests.vm(state, req);
            Json.send(res, verify(vm, versions(vm), token(req)));
        }).post("/vms/{name}/snapshots/{version}/verify", (req, res) -> {
            VmRecord vm = Requests.vm(state, req);
            Json.send(res, verify(vm, List.of(version(req.path().pathParameters().get("version"))), token(req)));
        }).post("/snapshots/gc", (req, res) -> Json.send(res, gc(token(req))))
                .get("/snapshots/progress/{token}", (req, res) -> {
                    String token = OperationProgress.token(req.path().pathParameters().get("token"));
                    Json.send(res, progress.find(token).orElseThrow(() ->
                            ApiException.notFound("no operation under way with progress token " + token)));
                });
    }

    private static Optional<String> token(ServerRequest req) {
        return Requests.query(req, "progress").map(OperationProgress::token);
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

    private List<VerifyView> verify(VmRecord vm, List<Long> versions, Optional<String> token) {
        if (versions.isEmpty()) {
            throw ApiException.notFound("VM " + vm.name() + " has no snapshot versions");
        }
        try {
            return verifyAll(vm, versions, token);
        } finally {
            progress.end(token);
        }
    }

    private List<VerifyView> verifyAll(VmRecord vm, List<Long> versions, Optional<String> token) {
        List<VerifyView> views = new ArrayList<>();
        int i = 0;
        for (long version : versions) {
            String what = "verify " + vm.name() + " version " + version + " (" + ++i + " of " + versions.size() + ")";
            try {
                Verification v = store.verify(vm.id(), version, progress.track(token, what, "bytes"));
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

    private GcView gc(Optional<String> token) {
        GcReport report;
        try {
            report = store.gc(retention, grace, progress.track(token, "gc", "packs"));
        } finally {
            progress.end(token);
        }
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
