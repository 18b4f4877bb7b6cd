package io.dormouse.hypervisor.fake;

import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.VmSpec;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** A machine of the {@link FakeHypervisor}: a spec, an address and an in-process guest. */
record FakeMachine(VmSpec spec, InetAddress address, FakeGuest guest, CompletableFuture<MachineExit> exit)
        implements Machine {

    FakeMachine(VmSpec spec, InetAddress address, FakeGuest guest) {
        this(spec, address, guest, new CompletableFuture<>());
    }

    @Override
    public String name() {
        return spec.name();
    }
}
