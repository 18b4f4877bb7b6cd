package io.dormouse.hypervisor.qemu;

/**
 * How QEMU runs guest code. {@code AUTO} uses KVM only when a probe guest really runs under
 * it: {@code /dev/kvm} may open while nested KVM never gets a guest past its first instructions.
 */
public enum Acceleration {
    AUTO, KVM, TCG
}
