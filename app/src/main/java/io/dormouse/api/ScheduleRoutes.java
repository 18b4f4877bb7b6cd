package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dormouse.config.ScheduleConfig;
import io.dormouse.schedule.Decision;
import io.dormouse.schedule.PolicyDocuments;
import io.dormouse.schedule.Schedules;
import io.dormouse.state.ScheduleDecision;
import io.dormouse.state.StateStore;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Vm;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A VM's schedule: {@code GET /v1/vms/{name}/schedule} shows its policy, the policy in force, the tuned
 * thresholds with their expected cost, and the latest decisions; {@code PUT} sets some policy fields
 * (the others keep their value) and answers the same view.
 */
public final class ScheduleRoutes implements HttpService {

    private static final int DECISIONS = 10;

    private final Fleet fleet;
    private final StateStore store;
    private final Schedules schedules;
    private final ScheduleConfig.Mode mode;

    public ScheduleRoutes(Fleet fleet, StateStore store, Schedules schedules, ScheduleConfig.Mode mode) {
        this.fleet = fleet;
        this.store = store;
        this.schedules = schedules;
        this.mode = mode;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms/{name}/schedule", (req, res) -> Json.send(res, view(vm(req))))
                .put("/vms/{name}/schedule", this::put);
    }

    private void put(ServerRequest req, ServerResponse res) {
        Vm vm = vm(req);
        JsonNode patch = Requests.body(req);
        schedules.update(vm.id(), patch);
        Json.send(res, view(vm));
    }

    private Vm vm(ServerRequest req) {
        return fleet.get(req.path().pathParameters().get("name"));
    }

    private ObjectNode view(Vm vm) {
        Schedules.Entry entry = schedules.entry(vm.id());
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("vm", vm.name());
        o.put("mode", mode.toString());
        o.set("policy", PolicyDocuments.json(entry.policy()));
        o.set("effective", PolicyDocuments.json(entry.effective()));
        o.set("tuned", entry.tuned().<JsonNode>map(PolicyDocuments.Tuned::json).orElse(null));
        o.set("latest", schedules.latest(vm.name()).<JsonNode>map(ScheduleRoutes::latest).orElse(null));
        ArrayNode decisions = o.putArray("decisions");
        for (ScheduleDecision d : store.scheduleDecisions().latest(vm.id(), DECISIONS)) {
            decisions.addObject()
                    .put("at", d.at().toString())
                    .put("action", d.action())
                    .put("cause", d.cause())
                    .put("reason", d.reason())
                    .put("acted", d.acted());
        }
        return o;
    }

    private static ObjectNode latest(Schedules.Latest latest) {
        Decision d = latest.decision();
        return Json.MAPPER.createObjectNode()
                .put("at", latest.at().toString())
                .put("action", d.action())
                .put("cause", d.why().label())
                .put("reason", latest.note() == null ? d.reason() : d.reason() + "; " + latest.note())
                .put("acted", latest.acted());
    }
}
