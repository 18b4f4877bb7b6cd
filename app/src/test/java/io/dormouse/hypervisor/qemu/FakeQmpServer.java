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
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A scripted QMP server on a Unix socket, standing in for QEMU where the test must choose
 * the order and timing of answers: one client, driven step by step from the test thread.
 */
final class FakeQmpServer implements AutoCloseable {

    static final String GREETING = """
            {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7},
             "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocketChannel server;
    private SocketChannel client;
    private MappingIterator<JsonNode> incoming;

    private FakeQmpServer(ServerSocketChannel server) {
        this.server = server;
    }

    static FakeQmpServer bind(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new FakeQmpServer(server);
    }

    /** Accepts the client, greets it and answers its {@code qmp_capabilities}, which it returns. */
    JsonNode handshake() throws IOException {
        accept();
        send(GREETING);
        JsonNode capabilities = nextCommand();
        reply(capabilities, "{}");
        return capabilities;
    }

    void accept() throws IOException {
        client = server.accept();
    }

    /** The next command the client sent, waiting for it. */
    JsonNode nextCommand() throws IOException {
        if (incoming == null) {
            // Created on first use: Jackson reads ahead to detect the encoding, and the
            // client sends nothing before it is greeted.
            incoming = JSON.readerFor(JsonNode.class).readValues(Channels.newInputStream(client));
        }
        if (!incoming.hasNextValue()) {
            throw new IOException("the client closed the connection");
        }
        return incoming.nextValue();
    }

    void reply(JsonNode command, String returnJson) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("return", JSON.readTree(returnJson));
        answer.set("id", command.get("id"));
        send(answer.toString());
    }

    void error(JsonNode command, String errorClass, String description) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("error").put("class", errorClass).put("desc", description);
        answer.set("id", command.get("id"));
        send(answer.toString());
    }

    void event(String name, String dataJson, long seconds, long micros) throws IOException {
        ObjectNode event = JSON.createObjectNode().put("event", name);
        if (dataJson != null) {
            event.set("data", JSON.readTree(dataJson));
        }
        event.putObject("timestamp").put("seconds", seconds).put("microseconds", micros);
        send(event.toString());
    }

    /** Sends {@code json} as QEMU does: one message, then CR LF. */
    void send(String json) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((json + "\r\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    /** Closes the client's connection, as a QEMU process that exits does. */
    void disconnect() throws IOException {
        client.close();
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }
}
