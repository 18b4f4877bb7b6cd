package io.dormouse.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.front.Traffic;
import io.dormouse.front.FrontDoor;
import io.dormouse.state.VmBandwidths;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Vm;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.List;

/**
 * A VM at the TCP front door: its bandwidth limit (read and changed while it runs, kept in the database) and
 * its metered demand.
 */
public final class FrontRoutes implements HttpService {

    private final Fleet fleet;
    private final FrontDoor front;
    private final VmBandwidths limits;

    /** @param limits where bandwidth limits are kept, so that a restarted server applies them again */
    public FrontRoutes(Fleet fleet, FrontDoor front, VmBandwidths limits) {
        this.fleet = fleet;
        this.front = front;
        this.limits = limits;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/vms/{name}/bandwidth", (req, res) -> Json.send(res, bandwidth(name(req))))
                .put("/vms/{name}/bandwidth", (req, res) -> {
                    Vm vm = vm(req);
                    long bytesPerSecond = bytesPerSecond(Requests.body(req));
                    limits.put(vm.id(), bytesPerSecond);
                    front.limit(vm.name(), bytesPerSecond);
                    Json.send(res, bandwidth(vm.name()));
                })
                .get("/vms/{name}/activity", (req, res) -> {
                    String name = name(req);
                    Traffic.Counts c = front.traffic().counts().get(name);
                    List<String> routed = front.routed().getOrDefault(name, List.of());
                    Json.send(res, c == null ? new ActivityView(name, 0, 0, 0, 0, null, null, false, routed)
                            : new ActivityView(name, c.opened(), c.active(), c.bytesIn(), c.bytesOut(),
                                    c.lastDemandAt(), c.lastWakeAt(), front.traffic().keepAwake(name), routed));
                });
    }

    record BandwidthView(String name, long bytesPerSecond) {
    }

    /** @param routed the VM's front addresses and ports whose new connections the kernel routes now */
    record ActivityView(String name, long opened, int active, long bytesIn, long bytesOut, Instant lastDemandAt,
                        Instant lastWakeAt, boolean keepAwake, List<String> routed) {
    }

    private BandwidthView bandwidth(String name) {
        return new BandwidthView(name, front.bandwidth(name));
    }

    private static long bytesPerSecond(JsonNode body) {
        JsonNode value = body.get("bytesPerSecond");
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("bytesPerSecond is missing: the body must be {\"bytesPerSecond\": N},"
                    + " N bytes per second or 0 for unlimited");
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw ApiException.badRequest("bytesPerSecond must be a whole number of bytes per second, 0 (unlimited)"
                    + " or more, got " + value);
        }
        return value.asLong();
    }

    /** The VM of the path: a 404 names the VM when there is none. */
    private Vm vm(ServerRequest req) {
        return fleet.get(req.path().pathParameters().get("name"));
    }

    private String name(ServerRequest req) {
        return vm(req).name();
    }
}
