package io.dormouse.hypervisor.qemu;

/** The QEMU version a QMP server announces in its greeting, with the distribution's package string. */
public record QemuVersion(int major, int minor, int micro, String packageName) {

    @Override
    public String toString() {
        String number = major + "." + minor + "." + micro;
        return packageName.isBlank() ? number : number + " (" + packageName + ")";
    }
}
