package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.config.ListenAddress;
import io.dormouse.telemetry.Metrics;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiServerTest {

    @Test
    void anAddressInUseFailsTheStartAndNamesTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ListenAddress listen = new ListenAddress("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(() -> ApiServer.start(listen, "token", Metrics.prometheus(), () -> true, Map.of(),
                    List.of()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("API cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("api.listen");
        }
    }
}
