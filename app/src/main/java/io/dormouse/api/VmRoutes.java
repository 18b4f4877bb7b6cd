package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmEvent;
import io.dormouse.vm.Definitions;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Lifecycle;
import io.dormouse.vm.Reason;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmDefinition;
import io.dormouse.vm.WakeCoordinator;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;

/**
 * The VMs, read from the in-memory fleet, and their lifecycle: create, start, stop, hibernate, wake,
 * restore a version, terminate. A change answers 202 with the VM as the transition began, or, with
 * {@code ?wait=true}, the VM once it ended.
 */
public final class VmRoutes implements HttpService {

    private final Fleet fleet;
    private final Lifecycle lifecycle;
    private final WakeCoordinator wakes;
    private final StateStore store;
    private final Path dataDir;

    public VmRoutes(Fleet fleet, Lifecycle lifecycle, WakeCoordinator wakes, StateStore store, Path dataDir) {
        this.fleet = fleet;
        this.lifecycle = lifecycle;
        this.wakes = wakes;
        this.store = store;
        this.dataDir = dataDir;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms", (req, res) -> Json.send(res, fleet.list().stream().map(VmRoutes::view).toList()))
                .post("/vms", this::create)
                .get("/vms/{name}", (req, res) -> Json.send(res, view(fleet.get(name(req)))))
                .get("/vms/{name}/events", (req, res) -> Json.send(res, store.vmEvents()
                        .listByVm(fleet.get(name(req)).id()).stream().map(VmRoutes::view).toList()))
                .post("/vms/{name}/start", (req, res) -> answer(req, res, lifecycle.start(name(req), Reason.API)))
                .post("/vms/{name}/stop", (req, res) -> answer(req, res, lifecycle.stop(name(req), Reason.API)))
                .post("/vms/{name}/hibernate", (req, res) ->
                        answer(req, res, lifecycle.hibernate(name(req), Reason.API)))
                .post("/vms/{name}/terminate", (req, res) ->
                        answer(req, res, lifecycle.terminate(name(req), Reason.API)))
                .post("/vms/{name}/restore", (req, res) -> {
                    JsonNode body = Requests.body(req);
                    OptionalLong version = body.hasNonNull("version") ? OptionalLong.of(body.get("version").asLong())
                            : OptionalLong.empty();
                    answer(req, res, lifecycle.restore(name(req), version, Reason.API));
                })
                .post("/vms/{name}/wake", this::wake);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = Requests.body(req);
        String name = body.path("name").asText(null);
        if (name == null) {
            throw ApiException.badRequest("name is missing: the body must be {\"name\": ..., \"spec\": {...}}"
                    + " or {\"name\": ..., \"demo\": true}");
        }
        VmDefinition definition;
        if (body.path("demo").asBoolean(false)) {
            definition = VmDefinition.demo(dataDir, body.path("priority").asInt(0),
                    body.path("slaClass").asText("standard"), body.path("keepReserved").asBoolean(false));
        } else if (body.path("spec").isObject()) {
            definition = Definitions.parse(name, body.get("spec"));
        } else {
            throw ApiException.badRequest("spec is missing: give \"spec\": {...} or \"demo\": true");
        }
        Lifecycle.Pending pending = lifecycle.create(name, definition, Reason.API);
        if (waits(req)) {
            res.status(Status.CREATED_201);
            Json.send(res, view(await(pending)));
        } else {
            res.status(Status.ACCEPTED_202);
            Json.send(res, view(pending.vm()));
        }
    }

    private void wake(ServerRequest req, ServerResponse res) {
        String name = name(req);
        var outcome = wakes.wake(name, Reason.API);
        if (waits(req)) {
            try {
                Json.send(res, view(outcome.join()));
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        } else {
            res.status(outcome.isDone() && !outcome.isCompletedExceptionally() ? Status.OK_200 : Status.ACCEPTED_202);
            Json.send(res, view(outcome.isDone() && !outcome.isCompletedExceptionally() ? outcome.join()
                    : fleet.get(name)));
        }
    }

    private static void answer(ServerRequest req, ServerResponse res, Lifecycle.Pending pending) {
        if (waits(req)) {
            Json.send(res, view(await(pending)));
        } else {
            res.status(pending.done().isDone() ? Status.OK_200 : Status.ACCEPTED_202);
            Json.send(res, view(pending.done().isDone() ? await(pending) : pending.vm()));
        }
    }

    private static Vm await(Lifecycle.Pending pending) {
        return pending.await();
    }

    private static boolean waits(ServerRequest req) {
        return Requests.query(req, "wait").map(Boolean::parseBoolean).orElse(false);
    }

    private static String name(ServerRequest req) {
        return req.path().pathParameters().get("name");
    }

    record VmView(String name, String state, boolean healthy, String address, String frontAddress, String host,
                  int priority, String slaClass, boolean keepReserved, Long snapshotVersion, Instant hibernatedAt,
                  long wakeEstimateMs, Instant createdAt, Instant updatedAt, JsonNode spec) {
    }

    static VmView view(Vm vm) {
        JsonNode spec = vm.definition() == null ? Json.MAPPER.createObjectNode()
                : Json.MAPPER.valueToTree(vm.definition());
        return new VmView(vm.name(), vm.state().label(), vm.healthy(), text(vm.address()), text(vm.frontAddress()),
                vm.host(), vm.policy().priority(), vm.policy().slaClass().label(), vm.policy().keepReserved(),
                vm.saved() == null ? null : vm.saved().version(), vm.saved() == null ? null : vm.saved().at(),
                vm.wakeEstimate().toMillis(), vm.createdAt(), vm.updatedAt(), spec);
    }

    record EventView(long id, String from, String to, String reason, Instant startedAt, Instant completedAt,
                     Long durationMs, String outcome, String error) {
    }

    static EventView view(VmEvent e) {
        Duration d = e.duration();
        return new EventView(e.id(), e.fromState(), e.toState(), e.reason(), e.startedAt(), e.completedAt(),
                d == null ? null : d.toMillis(), e.outcome() == null ? null : e.outcome().name().toLowerCase(Locale.ROOT),
                e.error());
    }

    private static String text(InetAddress address) {
        return address == null ? null : address.getHostAddress();
    }
}
