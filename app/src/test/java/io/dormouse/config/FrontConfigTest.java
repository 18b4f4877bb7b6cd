package io.dormouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code front.*} keys: defaults, lists from variables, and errors naming the key. */
class FrontConfigTest {

    @Test
    void defaultsHoldAndListen() {
        FrontConfig front = DormouseConfig.defaults().front();
        assertThat(front.enabled()).isTrue();
        assertThat(front.holdLimit()).isEqualTo(256);
        assertThat(front.holdTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(front.excludePorts()).isEmpty();
        assertThat(front.minAwake()).isEqualTo(Duration.ofMinutes(2));
        assertThat(front.network()).isEqualTo("127.2.0.0/16");
        assertThat(front.networkOctet()).isEqualTo(2);
    }

    @Test
    void theFrontNetworkIsAnyFreeSlash16OfLoopback() {
        assertThat(read(Map.of("DORMOUSE_FRONT_NETWORK", "127.203.0.0/16")).front().networkOctet()).isEqualTo(203);
        for (String bad : new String[] {"10.2.0.0/16", "127.2.0.0/24", "127.2.1.0/16", "127.256.0.0/16", "127.2.0.0"}) {
            assertThat(rejected("DORMOUSE_FRONT_NETWORK", bad)).as(bad).satisfies(e -> {
                assertThat(e.key()).isEqualTo("front.network");
                assertThat(e.getMessage()).contains(bad, "127.N.0.0/16");
            });
        }
        for (String taken : new String[] {"127.0.0.0/16", "127.77.0.0/16", "127.78.0.0/16"}) {
            assertThat(rejected("DORMOUSE_FRONT_NETWORK", taken)).as(taken).satisfies(e -> {
                assertThat(e.key()).isEqualTo("front.network");
                assertThat(e.getMessage()).contains("in use by the server itself");
            });
        }
    }

    @Test
    void kernelRoutingIsAutoOnOrOff() {
        assertThat(DormouseConfig.defaults().front().kernelRouting()).isEqualTo(FrontConfig.KernelRouting.AUTO);
        assertThat(read(Map.of("DORMOUSE_FRONT_KERNEL_ROUTING", "off")).front().kernelRouting())
                .isEqualTo(FrontConfig.KernelRouting.OFF);
        assertThat(read(Map.of("DORMOUSE_FRONT_KERNEL_ROUTING", "ON")).front().kernelRouting())
                .isEqualTo(FrontConfig.KernelRouting.ON);
        assertThat(rejected("DORMOUSE_FRONT_KERNEL_ROUTING", "maybe")).satisfies(e -> {
            assertThat(e.key()).isEqualTo("front.kernel-routing");
            assertThat(e.getMessage()).contains("maybe", "auto, on, off");
        });
        ConfigException both = catchThrowableOfType(ConfigException.class, () -> read(Map.of(
                "DORMOUSE_FRONT_KERNEL_ROUTING", "on", "DORMOUSE_FRONT_ENABLED", "false")));
        assertThat(both.getMessage()).contains("kernel-routing on needs the front door");
    }

    @Test
    void excludedPortsComeFromCommaSeparatedVariables() {
        FrontConfig front = read(Map.of("DORMOUSE_FRONT_EXCLUDE_PORTS", "22,9100", "DORMOUSE_FRONT_HOLD_TIMEOUT", "5s"))
                .front();
        assertThat(front.excludePorts()).containsExactly(22, 9100);
        assertThat(front.holdTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThat(rejected("DORMOUSE_FRONT_HOLD_LIMIT", "0")).satisfies(e -> {
            assertThat(e.key()).isEqualTo("front.hold-limit");
            assertThat(e.getMessage()).contains("1-100000");
        });
        assertThat(rejected("DORMOUSE_FRONT_EXCLUDE_PORTS", "70000")).satisfies(e -> {
            assertThat(e.key()).isEqualTo("front.exclude-ports");
            assertThat(e.getMessage()).contains("70000", "1-65535");
        });
        assertThat(rejected("DORMOUSE_FRONT_HOLD_TIMEOUT", "0s").key()).isEqualTo("front.hold-timeout");
        assertThat(rejected("DORMOUSE_FRONT_ENABLED", "maybe").key()).isEqualTo("front.enabled");
    }

    private static DormouseConfig read(Map<String, String> environment) {
        return ConfigReader.withEnvironment(environment).read(Optional.empty(), Map.of());
    }

    private static ConfigException rejected(String variable, String value) {
        return catchThrowableOfType(ConfigException.class, () -> read(Map.of(variable, value)));
    }
}
