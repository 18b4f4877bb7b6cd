package io.dormouse.front;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the front door needs of the VM manager: the VMs to listen for, and their wakes. */
interface Backends {

    /** Every VM with a front address, in no particular order. */
    List<Target> targets();

    Optional<Target> find(String vm);

    /** The VM's address once it runs; never blocks. One restore per VM however many callers. */
    CompletableFuture<Inet4Address> wake(String vm);

    /** Notes a connection to a running VM as activity, so that it does not count as idle. */
    void touch(String vm);
}
