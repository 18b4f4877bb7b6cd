package io.dormouse.front;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door's listening sockets, one per VM and declared port on the VM's front address, each
 * accepting on its own virtual thread and handing every connection to the {@link Gate} on another.
 */
final class Listeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final int BACKLOG = 1024;

    /** One listening socket: a VM's front address and one of its ports. */
    record Key(String vm, Inet4Address front, int port) {
        InetSocketAddress socketAddress() {
            return new InetSocketAddress(front, port);
        }
    }

    /** A bound socket and the thread accepting on it. */
    private record Listening(ServerSocketChannel channel, Thread acceptor) {
        /** Closes the socket and waits for its acceptor: NIO closes the descriptor only once that thread let go. */
        void close() {
            Listeners.close(channel);
            try {
                acceptor.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final Gate gate;
    private final Map<Key, Listening> open = new HashMap<>();
    /** Keys that failed to bind, so each failure is logged once and retried quietly on every sync. */
    private final Set<Key> failed = new HashSet<>();

    Listeners(Gate gate) {
        this.gate = gate;
    }

    /** Opens the listeners of {@code targets} not open yet and closes those of VMs or ports gone. */
    synchronized void sync(Collection<Target> targets) {
        Set<Key> wanted = new HashSet<>();
        for (Target t : targets) {
            for (int port : t.ports()) {
                wanted.add(new Key(t.vm(), t.front(), port));
            }
        }
        open.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            LOG.atInfo().addKeyValue("vm", e.getKey().vm()).addKeyValue("listen", text(e.getKey()))
                    .log("front door stopped listening");
            return true;
        });
        failed.retainAll(wanted);
        for (Key key : wanted) {
            if (!open.containsKey(key)) {
                bind(key);
            }
        }
    }

    /** The keys listened on now. */
    synchronized Set<Key> keys() {
        return Set.copyOf(open.keySet());
    }

    private void bind(Key key) {
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(key.socketAddress(), BACKLOG);
        } catch (IOException e) {
            if (server != null) {
                close(server);
            }
            if (failed.add(key)) {
                LOG.atWarn().addKeyValue("vm", key.vm()).addKeyValue("listen", text(key))
                        .log("front door cannot listen for VM " + key.vm() + " on " + text(key) + ": " + e.getMessage()
                                + "; retrying at every fleet sync");
            }
            return;
        }
        failed.remove(key);
        ServerSocketChannel bound = server;
        open.put(key, new Listening(server,
                Thread.ofVirtual().name("front-" + key.vm() + "-" + key.port()).start(() -> accept(bound, key))));
        LOG.atInfo().addKeyValue("vm", key.vm()).addKeyValue("listen", text(key)).log("front door listening");
    }

    private void accept(ServerSocketChannel server, Key key) {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // out of descriptors, say: the next accept may succeed once connections end
                LOG.atWarn().addKeyValue("vm", key.vm()).log("front door accept failed: " + e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            Thread.ofVirtual().name("front-conn-" + key.vm()).start(() -> gate.serve(client, key.vm(), key.port()));
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Listening::close);
        open.clear();
    }

    private static void close(ServerSocketChannel server) {
        try {
            server.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
    }

    private static String text(Key key) {
        return key.front().getHostAddress() + ":" + key.port();
    }
}
