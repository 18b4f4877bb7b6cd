package io.dormouse.hypervisor.fake;

import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.VmSpec;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A machine of the {@link FakeHypervisor}: a spec, an address and an in-process guest. */
record FakeMachine(VmSpec spec, InetAddress address, FakeGuest guest, Optional<String> wakeSource,
                   CompletableFuture<MachineExit> exit) implements Machine {

    /** @param wakeSource where a restore's process came from; empty for a boot */
    FakeMachine(VmSpec spec, InetAddress address, FakeGuest guest, Optional<String> wakeSource) {
        this(spec, address, guest, wakeSource, new CompletableFuture<>());
    }

    @Override
    public String name() {
        return spec.name();
    }
}
