package io.dormouse.vm;

import io.dormouse.alloc.Resources;
import io.dormouse.alloc.SlaClass;
import java.nio.file.Path;
import java.util.List;

/**
 * A VM as its operator declared it (a spec file or flags): what it boots, what it needs and how it is
 * treated. Stored as JSON in the VM's row; the hypervisor's machine spec is derived from it.
 *
 * @param kernel         the kernel to boot directly
 * @param initrd         its initramfs, or null
 * @param cmdline        the kernel command line, or null for the default
 * @param ports          guest TCP ports reachable on the VM's address
 * @param readinessPort  the guest port that accepts once the VM is ready; 0 for the first of {@code ports}
 * @param readinessPath  an HTTP path answering 2xx once ready, or null to wait only for the port
 * @param netMbps        network bandwidth the VM is promised; 0 for none
 * @param slaClass       gold, standard or bronze
 * @param onUnhealthy    keep, restart or restore
 */
public record VmDefinition(int vcpus, long memoryMib, long netMbps, String kernel, String initrd, String cmdline,
                           List<Integer> ports, int readinessPort, String readinessPath, int priority,
                           String slaClass, boolean keepReserved, String onUnhealthy) {

    /**
     * The demo guest's kernel command line. {@code no_timer_check}: under TCG on a busy host the kernel's
     * IO-APIC timer check can miss its ticks and panic the boot.
     */
    public static final String DEMO_CMDLINE = "console=ttyS0 quiet no_timer_check";

    public VmDefinition {
        if (vcpus < 1 || vcpus > 64) {
            throw new IllegalArgumentException("vcpus must be 1 to 64, got " + vcpus);
        }
        if (memoryMib < 16 || memoryMib > 1_048_576) {
            throw new IllegalArgumentException("memoryMib must be 16 to 1048576, got " + memoryMib);
        }
        if (netMbps < 0) {
            throw new IllegalArgumentException("netMbps must be 0 or more, got " + netMbps);
        }
        if (kernel == null || kernel.isBlank()) {
            throw new IllegalArgumentException("kernel must name the kernel file to boot, got " + kernel);
        }
        ports = ports == null ? List.of() : List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("ports must list at least one guest TCP port, the first of which"
                    + " tells when the VM is ready, got none");
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("ports must be 1 to 65535, got " + port);
            }
        }
        if (readinessPort < 0 || readinessPort > 65535) {
            throw new IllegalArgumentException("readinessPort must be 0 to 65535, got " + readinessPort);
        }
        if (readinessPath != null && !readinessPath.startsWith("/")) {
            throw new IllegalArgumentException("readinessPath must start with '/', got '" + readinessPath + "'");
        }
        slaClass = SlaClass.of(slaClass == null ? SlaClass.STANDARD.label() : slaClass).label();
        onUnhealthy = onUnhealthy(onUnhealthy == null ? "keep" : onUnhealthy).name().toLowerCase(java.util.Locale.ROOT);
        new Policy(priority, SlaClass.of(slaClass), keepReserved, onUnhealthy(onUnhealthy));
    }

    /**
     * The demo guest of {@code guest/build}: a busybox initramfs serving an HTTP counter on port 80,
     * its kernel and initramfs in {@code <data-dir>/images/demo}.
     */
    public static VmDefinition demo(Path dataDir, int priority, String slaClass) {
        return demo(dataDir, priority, slaClass, false);
    }

    /** @param keepReserved keep its room, and with the fastest SLA class a prepared restore, while it sleeps */
    public static VmDefinition demo(Path dataDir, int priority, String slaClass, boolean keepReserved) {
        Path images = dataDir.resolve("images/demo").toAbsolutePath();
        return new VmDefinition(1, 128, 0, images.resolve("vmlinuz").toString(),
                images.resolve("initrd.img").toString(), DEMO_CMDLINE, List.of(80), 80, "/healthz",
                priority, slaClass, keepReserved, "keep");
    }

    public Resources needs() {
        return new Resources(vcpus, memoryMib, netMbps);
    }

    public Policy policy() {
        return new Policy(priority, SlaClass.of(slaClass), keepReserved, onUnhealthy(onUnhealthy));
    }

    /** The port that says the guest is ready. */
    public int effectiveReadinessPort() {
        return readinessPort != 0 ? readinessPort : ports.isEmpty() ? 0 : ports.getFirst();
    }

    private static Policy.OnUnhealthy onUnhealthy(String label) {
        for (Policy.OnUnhealthy o : Policy.OnUnhealthy.values()) {
            if (o.name().equalsIgnoreCase(label)) {
                return o;
            }
        }
        throw new IllegalArgumentException("onUnhealthy must be one of keep, restart, restore, got '" + label + "'");
    }
}
