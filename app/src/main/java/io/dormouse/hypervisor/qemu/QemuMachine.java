package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.VmSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A VM running in a QEMU process of the {@link QemuHypervisor}. */
final class QemuMachine implements Machine {

    /** A sampling round should not wait long on one busy QEMU (one in the middle of a migration, say). */
    private static final Duration BALLOON_QUERY = Duration.ofSeconds(1);

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

    @Override
    public OptionalLong processId() {
        return OptionalLong.of(process.pid());
    }

    /** QMP {@code query-balloon}: "actual" is the guest's memory in bytes once the balloon is accounted for. */
    @Override
    public OptionalLong balloonBytes() {
        try {
            long actual = process.qmp().execute("query-balloon", BALLOON_QUERY).path("actual").asLong(-1);
            return actual > 0 ? OptionalLong.of(actual) : OptionalLong.empty();
        } catch (QmpException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
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
    public Optional<String> wakeSource() {
        WakeSteps steps = wakeSteps;
        return steps == null ? Optional.empty() : Optional.of(steps.source());
    }

    @Override
    public String toString() {
        return "vm '" + spec.name() + "' (pid " + process.pid() + ", " + address.getHostAddress() + ")";
    }
}
