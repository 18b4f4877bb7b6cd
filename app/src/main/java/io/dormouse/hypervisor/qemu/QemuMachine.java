package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.VmSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A VM running in a QEMU process of the {@link QemuHypervisor}. */
final class QemuMachine implements Machine {

    /**
     * How long each step of a restore took, and where its process came from: {@code new},
     * {@code pool} or {@code prepared}.
     */
    record WakeSteps(Duration processStart, Duration migrateIncoming, Duration cont, Duration firstAnswer,
                     String source) {
    }

    private final VmSpec spec;
    private final InetAddress address;
    private final QemuProcess process;
    private final QemuCommand command;
    private final CompletableFuture<MachineExit> exit = new CompletableFuture<>();
    private volatile MachineExit.Reason ending;
    private volatile WakeSteps wakeSteps;

    QemuMachine(VmSpec spec, InetAddress address, QemuProcess process, QemuCommand command) {
        this.spec = spec;
        this.address = address;
        this.process = process;
        this.command = command;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public VmSpec spec() {
        return spec;
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public CompletableFuture<MachineExit> exit() {
        return exit;
    }

    /** The process id of its QEMU. */
    public long pid() {
        return process.pid();
    }

    QemuProcess process() {
        return process;
    }

    QemuCommand command() {
        return command;
    }

    /** Marks the coming end of the process as asked for, so it is not reported as a crash. */
    void expectEnd(MachineExit.Reason reason) {
        ending = reason;
    }

    MachineExit.Reason ending() {
        return ending;
    }

    WakeSteps wakeSteps() {
        return wakeSteps;
    }

    void wakeSteps(WakeSteps steps) {
        wakeSteps = steps;
    }

    @Override
    public String toString() {
        return "vm '" + spec.name() + "' (pid " + process.pid() + ", " + address.getHostAddress() + ")";
    }
}
