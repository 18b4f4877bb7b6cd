package io.dormouse;

import io.dormouse.api.ApiServer;
import io.dormouse.api.ApiToken;
import io.dormouse.api.EventRoutes;
import io.dormouse.api.FleetRoutes;
import io.dormouse.api.ScheduleRoutes;
import io.dormouse.api.ForecastRoutes;
import io.dormouse.api.FrontRoutes;
import io.dormouse.api.SeriesRoutes;
import io.dormouse.api.SnapshotRoutes;
import io.dormouse.api.VmRoutes;
import io.dormouse.config.DatabaseConfig;
import io.dormouse.config.DataDirectory;
import io.dormouse.config.DormouseConfig;
import io.dormouse.dns.Cidr;
import io.dormouse.dns.DnsServer;
import io.dormouse.dns.DnsSettings;
import io.dormouse.front.FrontDoor;
import io.dormouse.front.FrontSettings;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.HostRecord;
import io.dormouse.state.StateStore;
import io.dormouse.telemetry.DnsQueryCounts;
import io.dormouse.telemetry.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running dormouse server: wires every part from the configuration and stops them in reverse order. */
public final class Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private ApiServer api;
    private DnsServer dns;
    private FrontDoor front;
    private Path dataDir;

    private Server() {
    }

    /** Starts every part; on failure stops what had started and rethrows. */
    public static Server start(DormouseConfig config) {
        Server server = new Server();
        try {
            server.startParts(config);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void startParts(DormouseConfig config) {
        long start = System.nanoTime();
        dataDir = DataDirectory.prepare(config.dataDir());
        String token = ApiToken.loadOrCreate(dataDir, config.api().token());
        PrometheusMeterRegistry registry = Metrics.prometheus();
        parts.add(registry::close);
        DatabaseConfig db = config.database();
        StateStore store = StateStore.open(new DatabaseSettings(db.effectiveUrl(dataDir), db.user(),
                db.password().value(), db.busyTimeout()), InstantSource.system(), registry);
        parts.add(store);
        HostRecord localHost = LocalHost.register(store.hosts());
        SnapshotBackend snapshots = SnapshotBackend.open(config.snapshot(), dataDir, System.getenv(), InstantSource.system());
        parts.add(snapshots);
        VmParts vms = VmParts.start(config.vm(), config.schedule(), config.front().networkOctet(), store, snapshots.store(),
                snapshots.cache(), localHost, registry, dataDir);
        parts.add(vms);
        DnsQueryCounts dnsQueries = new DnsQueryCounts();
        // health checkers and the like: neither their DNS queries nor their connections are demand
        List<Cidr> excludedNets = config.telemetry().excludedSources().stream().map(Cidr::parse).toList();
        Predicate<InetAddress> excluded = client -> {
            for (Cidr net : excludedNets) {
                if (net.contains(client)) {
                    return true;
                }
            }
            return false;
        };
        // the kernel's routes leave the IPv4 ones alone; IPv6 clients never reach an IPv4 front address
        List<String> excludedIpv4 = excludedNets.stream().filter(net -> net.network().length == 4)
                .map(net -> net.masked().toString()).toList();
        front = FrontDoor.start(FrontSettings.from(config.front(), excludedIpv4, excluded, config.vm().fleetSync()),
                vms.fleet, vms.wakes, registry, InstantSource.system());
        parts.add(front);
        // a VM about to pause stops getting connections straight from the kernel: the front door holds them
        vms.lifecycle.addLeavingListener(front::withdraw);
        // limits set through the API outlive the process
        store.vmBandwidths().all().forEach((vmId, bytesPerSecond) ->
                vms.fleet.byId(vmId).ifPresent(vm -> front.limit(vm.name(), bytesPerSecond)));
        front.sync(); // the kernel routes from now on, past no limit
        // the front door keeps a VM awake while a connection is open or it has just woken
        vms.startScheduler(vm -> front.traffic().keepAwake(vm) ? 1 : 0);
        FleetNames names = new FleetNames(vms.fleet, vms.wakes, dnsQueries, excluded);
        dns = DnsServer.start(DnsSettings.from(config.dns()), names, names, registry);
        parts.add(dns);
        VmTelemetry.start(config.telemetry(), store, vms, dnsQueries, front, registry);
        Map<String, Object> versionInfo = new LinkedHashMap<>();
        versionInfo.put("version", Version.current());
        versionInfo.put("java", Runtime.version().toString());
        versionInfo.put("startedAt", Instant.now().toString());
        api = ApiServer.start(config.api().listen(), token, registry, ready::get, versionInfo,
                List.of(new VmRoutes(vms.fleet, vms.lifecycle, vms.wakes, store, dataDir), new FleetRoutes(store),
                        new EventRoutes(store), new SeriesRoutes(store), new ForecastRoutes(store),
                        new SnapshotRoutes(store, snapshots.store(), snapshots.retention(), snapshots.grace()),
                        new ScheduleRoutes(vms.fleet, store, vms.schedules, config.schedule().mode()),
                        new FrontRoutes(vms.fleet, front, store.vmBandwidths())));
        parts.add(api);
        ready.set(true);
        LOG.atInfo()
                .addKeyValue("dataDir", dataDir)
                .addKeyValue("api", "http://" + config.api().listen().host() + ":" + api.port())
                .addKeyValue("dns", config.dns().listen().host() + ":" + dns.port())
                .addKeyValue("startupMs", (System.nanoTime() - start) / 1_000_000)
                .log("dormouse ready");
    }

    public int apiPort() {
        return api.port();
    }

    public int dnsPort() {
        return dns.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        ready.set(false);
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.atWarn().setCause(e).log("stopping a part failed");
            }
        }
        LOG.info("dormouse stopped");
    }
}
