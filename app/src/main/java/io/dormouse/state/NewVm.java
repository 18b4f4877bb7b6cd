package io.dormouse.state;

/**
 * A VM to record for the first time; the store assigns its id, times and version.
 *
 * @param name         unique name, the DNS label the VM answers to
 * @param state        lifecycle state name, as the vm package spells it
 * @param spec         the VM's specification as a JSON object
 * @param address      where the running VM answers; null before it has one
 * @param frontAddress the stable address of its TCP front door; null before it has one
 * @param priority     higher wins when capacity is short; zero or more
 * @param slaClass     the service class the VM was promised
 */
public record NewVm(String name, String state, String spec, String address, String frontAddress,
                    int priority, String slaClass) {

    public NewVm {
        Require.text("name", name);
        Require.text("state", state);
        Require.text("slaClass", slaClass);
        if (spec == null) {
            throw new IllegalArgumentException("spec of VM " + name + " is missing");
        }
        Json.requireObject("spec of VM " + name, spec);
        if (priority < 0) {
            throw new IllegalArgumentException("priority of VM " + name + " must be zero or more, got " + priority);
        }
    }
}
