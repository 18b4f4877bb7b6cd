package io.dormouse;

import com.sun.management.OperatingSystemMXBean;
import io.dormouse.state.HostRecord;
import io.dormouse.state.Hosts;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** The machine this server runs on, registered as a host with the capacity it detects. */
final class LocalHost {

    private LocalHost() {
    }

    static HostRecord register(Hosts hosts) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long memoryMib = os.getTotalMemorySize() / (1024 * 1024);
        return hosts.upsert(name(), Runtime.getRuntime().availableProcessors(), memoryMib, 0,
                Map.of("local", "true", "arch", System.getProperty("os.arch")));
    }

    private static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
