package io.dormouse.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connections to running VMs routed by the kernel instead of spliced by the front door: an nftables
 * table whose map rewrites the destination of new connections from a front address and port to the VM's
 * address and port (DNAT on the output hook, as kube-proxy's nftables mode does for services), so that
 * a running VM's bytes cross one loopback connection instead of two. Sleeping VMs have no route: their
 * connections reach the front door's listeners, which wake the VM and hold them.
 *
 * <p>The kernel meters what it routes, per front address: connections opened (the first packet of each,
 * in the NAT chain), bytes each way (IP packets of routed connections, headers and acknowledgements
 * included) from set element counters, and connections open now from conntrack. Sources in the
 * excluded networks are never routed: the front door splices them and leaves them unmetered. Runs
 * {@code nft} and {@code conntrack}; needs CAP_NET_ADMIN.
 */
final class KernelRoutes implements AutoCloseable {

    /** New connections to {@code front:port} go to {@code address:port}. */
    record Route(Inet4Address front, int port, Inet4Address address) {
    }

    /**
     * What the kernel routed for one front address since it was first tracked.
     *
     * @param active connections open now (half-closed ones included)
     */
    record Totals(long opened, int active, long bytesIn, long bytesOut) {
        static final Totals NONE = new Totals(0, 0, 0, 0);
    }

    private static final long TIMEOUT_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The original destination, the first {@code dst=} of a conntrack line. */
    private static final Pattern ORIGINAL_DESTINATION = Pattern.compile("\\bdst=(\\d+\\.\\d+\\.\\d+\\.\\d+)");

    /** The sets whose element counters are read, and which counter of each. */
    private static final Map<String, String> COUNTED = Map.of("opened", "packets", "bytes_in", "bytes",
            "bytes_out", "bytes");
    /** Connection states that no longer carry data either way. */
    private static final Set<String> ENDED = Set.of("TIME_WAIT", "CLOSE");

    private final String table;
    private final List<String> excluded;
    private final Set<Route> routes = new HashSet<>();
    private final Set<Inet4Address> tracked = new HashSet<>();
    /** A reading failed: the table may be gone (a firewall reload, another process): the next apply builds it. */
    private volatile boolean suspect;

    private KernelRoutes(String table, List<String> excluded) {
        this.table = table;
        this.excluded = excluded;
    }

    /**
     * Creates {@code table} (replacing one a former process left), with {@code excludedNetworks}' IPv4
     * networks never routed.
     *
     * @throws IOException when {@code nft} or {@code conntrack} is missing or may not change the ruleset
     */
    static KernelRoutes open(String table, Collection<String> excludedNetworks) throws IOException {
        if (!table.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("table name " + table + " must be lower-case letters, digits and _");
        }
        run(List.of("conntrack", "--version"), "");
        KernelRoutes routes = new KernelRoutes(table, excludedNetworks.stream().filter(n -> !n.contains(":")).toList());
        routes.create();
        return routes;
    }

    /** Creates the table afresh, empty: a table of the same name (left by a former process, or changed by hand) goes. */
    private void create() throws IOException {
        run(List.of("nft", "-f", "-"), String.join("\n",
                "table ip " + table,
                "delete table ip " + table,
                "table ip " + table + " {",
                "  map routes { type ipv4_addr . inet_service : ipv4_addr . inet_service; }",
                "  set opened { type ipv4_addr; counter; }",
                "  set bytes_in { type ipv4_addr; counter; }",
                "  set bytes_out { type ipv4_addr; counter; }",
                "  set excluded { type ipv4_addr; flags interval; auto-merge;"
                        + (excluded.isEmpty() ? "" : " elements = { " + String.join(", ", excluded) + " }") + " }",
                "  chain dnat_out {",
                "    type nat hook output priority -100; policy accept;",
                "    ip saddr @excluded return",
                "    ip daddr . tcp dport @routes ip daddr @opened",
                "    dnat ip to ip daddr . tcp dport map @routes",
                "  }",
                "  chain count_out {",
                "    type filter hook output priority 0; policy accept;",
                "    ct status dnat ct direction original ct original ip daddr @bytes_in",
                "    ct status dnat ct direction reply ct original ip daddr @bytes_out",
                "  }",
                "}", ""));
        routes.clear();
        tracked.clear();
    }

    /**
     * Makes {@code wanted} the routes, and {@code fronts} the front addresses metered, in one transaction;
     * a front address dropped from {@code fronts} loses its counts. A table that failed a reading since, or
     * that refuses the change, is built again with everything in it.
     */
    synchronized void apply(Collection<Route> wanted, Collection<Inet4Address> fronts) throws IOException {
        Map<String, Route> byKey = new HashMap<>();
        wanted.forEach(r -> byKey.put(key(r), r));
        Set<Inet4Address> metered = new HashSet<>(fronts);
        if (suspect) {
            suspect = false;
            create();
        }
        try {
            nft(changes(byKey, metered));
        } catch (IOException e) {
            // the kernel's table is not what this remembers (flushed by hand or by a firewall reload, say):
            // start it afresh, and add everything; its counts start again too, which the meters take as a reset
            create();
            nft(changes(byKey, metered));
        }
        routes.clear();
        routes.addAll(byKey.values());
        tracked.clear();
        tracked.addAll(metered);
    }

    /** Removes every route to {@code front} at once: its new connections reach the front door from now on. */
    synchronized void withdraw(Inet4Address front) throws IOException {
        List<Route> gone = routes.stream().filter(r -> r.front().equals(front)).toList();
        nft(gone.stream().map(this::deleted).toList());
        gone.forEach(routes::remove);
    }

    /** The routes in place. */
    synchronized Set<Route> routes() {
        return Set.copyOf(routes);
    }

    /** Each tracked front address's totals. */
    Map<Inet4Address, Totals> totals() throws IOException {
        JsonNode listing;
        try {
            listing = JSON.readTree(run(List.of("nft", "-j", "list", "table", "ip", table), ""));
        } catch (IOException e) {
            suspect = true;
            throw e;
        }
        Map<String, Map<Inet4Address, Long>> sets = new HashMap<>();
        for (JsonNode item : listing.path("nftables")) {
            JsonNode set = item.path("set");
            if (set.isMissingNode()) {
                continue;
            }
            String name = set.path("name").asText();
            String field = COUNTED.get(name);
            if (field == null) {
                continue;
            }
            Map<Inet4Address, Long> counts = new HashMap<>();
            for (JsonNode e : set.path("elem")) {
                JsonNode elem = e.path("elem");
                String value = elem.isMissingNode() ? e.asText() : elem.path("val").asText();
                counts.put(address(value), elem.path("counter").path(field).asLong());
            }
            sets.put(name, counts);
        }
        Map<Inet4Address, Integer> active = new HashMap<>();
        String flows = run(List.of("conntrack", "-L", "-p", "tcp", "--dst-nat"), "");
        Set<Inet4Address> fronts;
        synchronized (this) {
            fronts = Set.copyOf(tracked);
        }
        for (String line : flows.lines().toList()) {
            String[] fields = line.trim().split("\\s+", 5);
            Matcher m = ORIGINAL_DESTINATION.matcher(line);
            // "tcp 6 <timeout> <state> src=..."; a half-closed connection is open still
            if (fields.length == 5 && !ENDED.contains(fields[3]) && m.find()) {
                Inet4Address destination = address(m.group(1));
                if (fronts.contains(destination)) {
                    active.merge(destination, 1, Integer::sum);
                }
            }
        }
        Map<Inet4Address, Totals> out = new HashMap<>();
        for (Inet4Address front : fronts) {
            out.put(front, new Totals(count(sets, "opened", front), active.getOrDefault(front, 0),
                    count(sets, "bytes_in", front), count(sets, "bytes_out", front)));
        }
        return out;
    }

    /** Deletes the table: every connection not yet routed reaches the front door again. */
    @Override
    public synchronized void close() throws IOException {
        run(List.of("nft", "delete", "table", "ip", table), "");
        routes.clear();
        tracked.clear();
    }

    /** The nft commands from the routes and metered front addresses in place to {@code wanted} and {@code metered}. */
    private List<String> changes(Map<String, Route> wanted, Set<Inet4Address> metered) {
        List<String> script = new ArrayList<>();
        routes.stream().filter(r -> !r.equals(wanted.get(key(r)))).forEach(r -> script.add(deleted(r)));
        wanted.values().stream().filter(r -> !routes.contains(r)).forEach(r -> script.add(added(r)));
        tracked.stream().filter(front -> !metered.contains(front)).forEach(front -> meters(script, "delete", front));
        metered.stream().filter(front -> !tracked.contains(front)).forEach(front -> meters(script, "add", front));
        return script;
    }

    private String added(Route r) {
        return "add element ip " + table + " routes { " + key(r) + " : " + r.address().getHostAddress() + " . "
                + r.port() + " }";
    }

    private String deleted(Route r) {
        return "delete element ip " + table + " routes { " + key(r) + " }";
    }

    /** Runs {@code script} as one nft transaction; nothing for an empty one. */
    private static void nft(List<String> script) throws IOException {
        if (!script.isEmpty()) {
            run(List.of("nft", "-f", "-"), String.join("\n", script) + "\n");
        }
    }

    private void meters(List<String> script, String verb, Inet4Address front) {
        for (String set : List.of("opened", "bytes_in", "bytes_out")) {
            script.add(verb + " element ip " + table + " " + set + " { " + front.getHostAddress() + " }");
        }
    }

    private static long count(Map<String, Map<Inet4Address, Long>> sets, String set, Inet4Address front) {
        return sets.getOrDefault(set, Map.of()).getOrDefault(front, 0L);
    }

    private static String key(Route r) {
        return r.front().getHostAddress() + " . " + r.port();
    }

    private static Inet4Address address(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalStateException("not an IPv4 address in the kernel's answer: " + text, e);
        }
    }

    /** Runs {@code command} with {@code input} on its standard input; its standard output. */
    private static String run(List<String> command, String input) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.getFirst() + ": install the Debian packages nftables and"
                    + " conntrack (apt-get install nftables conntrack)", e);
        }
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit status " + process.exitValue()
                        + "): " + err.join().strip());
            }
            return out.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }
}
