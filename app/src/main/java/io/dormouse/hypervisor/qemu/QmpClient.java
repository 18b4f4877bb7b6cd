package io.dormouse.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one QEMU process's QMP socket: commands with a timeout each, answered by
 * id in any order, and asynchronous events handed to listeners in the order QEMU sent them.
 */
public final class QmpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_RETRY = Duration.ofMillis(10);

    private final Path socket;
    private final SocketChannel channel;
    private final PendingCalls calls = new PendingCalls();
    private final CompletableFuture<QmpMessage.Greeting> greeting = new CompletableFuture<>();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    // One thread, so listeners see events in order, and not the reader, so they may call execute.
    private final ExecutorService eventDelivery;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Object writeLock = new Object();
    private final Thread reader;

    private QmpClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        String name = "qmp-" + socket.getFileName();
        this.eventDelivery = Executors.newSingleThreadExecutor(Thread.ofVirtual().name(name + "-events").factory());
        this.reader = Thread.ofVirtual().name(name + "-reader").start(this::read);
    }

    /**
     * Connects to the QMP socket at {@code socket}, waiting for it to appear (QEMU creates it
     * while starting), reads the greeting and leaves capabilities negotiation mode, all
     * within {@code timeout}.
     */
    public static QmpClient connect(Path socket, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(socket, "socket");
        requirePositive(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        QmpClient client = new QmpClient(socket, openChannel(socket, timeout, deadline));
        try {
            client.awaitGreeting(remaining(deadline));
            client.execute("qmp_capabilities", remaining(deadline));
            return client;
        } catch (QmpException | InterruptedException e) {
            client.close();
            throw e;
        }
    }

    /** The version QEMU announced in its greeting. */
    public QemuVersion qemuVersion() {
        return greeting.resultNow().version();
    }

    /** Runs {@code command} without arguments; see {@link #execute(String, Map, Duration)}. */
    public JsonNode execute(String command, Duration timeout) throws InterruptedException {
        return execute(command, Map.of(), timeout);
    }

    /**
     * Runs {@code command} with {@code arguments} (converted to JSON as Jackson does) and
     * returns the {@code return} member of QEMU's answer.
     *
     * @throws QmpException.ErrorResponse when QEMU answers with an error
     * @throws QmpException.Timeout when no answer comes within {@code timeout}
     * @throws QmpException.Disconnected when the connection is or becomes closed
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) throws InterruptedException {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("command must be a QMP command name, got '" + command + "'");
        }
        Objects.requireNonNull(arguments, "arguments");
        requirePositive(timeout);
        PendingCalls.Call call = calls.open(command);
        ObjectNode message = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) {
            message.set("arguments", JSON.valueToTree(arguments));
        }
        message.put("id", call.id());
        try {
            send(message);
            return call.answer().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            calls.forget(call.id());
            throw new QmpException.Disconnected(command, "cannot write to QMP socket " + socket, e);
        } catch (TimeoutException e) {
            calls.forget(call.id());
            throw new QmpException.Timeout(command, timeout);
        } catch (ExecutionException e) {
            throw (QmpException) e.getCause();
        } catch (InterruptedException e) {
            calls.forget(call.id());
            throw e;
        }
    }

    /** Delivers every event read from now on to {@code listener}, on a thread of this client. */
    public void addEventListener(Consumer<QmpEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeEventListener(Consumer<QmpEvent> listener) {
        listeners.remove(listener);
    }

    /** False once the socket closed, from either side. */
    public boolean isOpen() {
        return open.get();
    }

    /** Closes the socket; calls still waiting fail with {@link QmpException.Disconnected}. */
    @Override
    public void close() {
        shutDown("the client closed the connection", null);
        try {
            reader.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SocketChannel openChannel(Path socket, Duration timeout, long deadline) throws InterruptedException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true) {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(address);
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
                if (System.nanoTime() - deadline >= 0) {
                    throw new QmpException.Disconnected("greeting",
                            "cannot connect to QMP socket " + socket + " within " + timeout, e);
                }
                Thread.sleep(CONNECT_RETRY);
            }
        }
    }

    private void awaitGreeting(Duration timeout) throws InterruptedException {
        try {
            QmpMessage.Greeting hello = greeting.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            LOG.debug("QMP {}: QEMU {}, capabilities {}", socket, hello.version(), hello.capabilities());
        } catch (TimeoutException e) {
            throw new QmpException.Timeout("greeting", timeout);
        } catch (ExecutionException e) {
            throw (QmpException) e.getCause();
        }
    }

    private void send(ObjectNode message) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    private void read() {
        String reason = "QEMU closed the QMP socket";
        Exception cause = null;
        try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class)
                .readValues(Channels.newInputStream(channel))) {
            while (messages.hasNextValue()) {
                dispatch(QmpMessage.parse(messages.nextValue()));
            }
        } catch (IOException | RuntimeException e) {
            // After close() this is moot: shutDown already ran with the client's reason.
            reason = "QMP socket failed: " + e.getMessage();
            cause = e;
        }
        shutDown(reason, cause);
    }

    private void dispatch(QmpMessage message) {
        switch (message) {
            case QmpMessage.Greeting hello -> greeting.complete(hello);
            case QmpMessage.Success success -> {
                if (!calls.succeed(success.id(), success.value())) {
                    LOG.debug("QMP {}: dropped a late answer to id {}", socket, success.id());
                }
            }
            case QmpMessage.Failure failure -> {
                if (!calls.fail(failure.id(), failure.errorClass(), failure.description())) {
                    LOG.debug("QMP {}: dropped a late error for id {}: {}", socket, failure.id(), failure.description());
                }
            }
            case QmpMessage.Event event -> eventDelivery.execute(() -> deliver(event.event()));
            case QmpMessage.Unexpected unexpected ->
                    LOG.warn("QMP {}: ignored a message, {}: {}", socket, unexpected.why(), unexpected.json());
        }
    }

    private void deliver(QmpEvent event) {
        for (Consumer<QmpEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("QMP {}: a listener failed on event {}", socket, event.name(), e);
            }
        }
    }

    private void shutDown(String reason, Exception cause) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        calls.close(command -> new QmpException.Disconnected(command, reason, cause));
        greeting.completeExceptionally(new QmpException.Disconnected("greeting", reason, cause));
        closeQuietly(channel);
        eventDelivery.shutdown();
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a QMP socket failed", e);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static void requirePositive(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be a positive duration, got " + timeout);
        }
    }
}
