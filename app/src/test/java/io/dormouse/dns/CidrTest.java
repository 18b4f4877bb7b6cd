package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void maskingClearsTheHostBitsOnly() {
        assertThat(Cidr.parse("10.1.2.3/8").masked()).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("192.168.255.77/20").masked()).hasToString("192.168.240.0/20");
        assertThat(Cidr.parse("127.0.0.9").masked()).hasToString("127.0.0.9/32");
        assertThat(Cidr.parse("fd00::1/8").masked()).hasToString("fd00:0:0:0:0:0:0:0/8");
    }

    @Test
    void anIpv4MappedAddressIsAnIpv4Block() throws Exception {
        Cidr mapped = Cidr.parse("::ffff:10.0.0.9");
        assertThat(mapped.network()).hasSize(4);
        assertThat(mapped.contains(InetAddress.getByName("10.0.0.9"))).isTrue();
        assertThat(mapped.masked()).hasToString("10.0.0.9/32");
    }
}
