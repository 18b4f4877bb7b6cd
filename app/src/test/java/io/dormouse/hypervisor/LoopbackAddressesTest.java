package io.dormouse.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackAddressesTest {

    @Test
    void givesEachMachineItsOwnAddressAndReusesReleasedOnes() {
        LoopbackAddresses addresses = new LoopbackAddresses(74);
        InetAddress a = addresses.allocate("a", List.of(80));
        InetAddress b = addresses.allocate("b", List.of(80));

        assertThat(a).isNotEqualTo(b);
        assertThat(a.getHostAddress()).startsWith("127.74.");
        assertThatThrownBy(() -> addresses.claim("c", a, List.of(80)))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("taken by vm 'a'");
        addresses.release(a);
        assertThat(addresses.claim("c", a, List.of(80))).isEqualTo(a);
    }

    @Test
    void skipsAnAddressWhosePortAnotherProcessHolds() throws Exception {
        LoopbackAddresses addresses = new LoopbackAddresses(73);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.73.0.1"), 8080));
            InetAddress got = addresses.allocate("a", List.of(8080));
            assertThat(got.getHostAddress()).isEqualTo("127.73.0.2");
            assertThatThrownBy(() -> addresses.claim("b", InetAddress.getByName("127.73.0.1"), List.of(8080)))
                    .isInstanceOfSatisfying(HypervisorException.class,
                            e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INVALID_SPEC))
                    .hasMessageContaining("address 127.73.0.1:8080 is already in use");
        }
    }
}
