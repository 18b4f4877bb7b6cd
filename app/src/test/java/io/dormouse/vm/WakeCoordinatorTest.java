package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.alloc.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WakeCoordinatorTest {

    @TempDir
    Path dir;
    VmWorld world;

    @BeforeEach
    void open() {
        world = new VmWorld(dir, new Resources(4, 1024, 0));
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aHundredConcurrentWakesStartOneRestoreAndAllSucceed() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        AtomicInteger restores = new AtomicInteger();
        WakeCoordinator wakes = new WakeCoordinator(world.fleet, (name, reason) -> {
            restores.incrementAndGet();
            return world.lifecycle.wake(name, reason);
        }, 1000);

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<Vm>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return wakes.wake("web-1", Reason.DNS);
            }, r -> Thread.ofVirtual().start(r)));
        }
        go.countDown();
        List<Vm> woken = new ArrayList<>();
        for (var call : calls) {
            woken.add(call.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS));
        }

        assertThat(woken).allSatisfy(vm -> assertThat(vm.state()).isEqualTo(VmState.RUNNING));
        assertThat(woken.stream().map(Vm::address).distinct()).hasSize(1);
        assertThat(restores).as("restores started").hasValue(1);
        assertThat(world.store.vmEvents().listByVm(woken.getFirst().id()))
                .filteredOn(e -> e.toState().equals("running") && e.fromState().equals("hibernated")).hasSize(1);
        assertThat(wakes.inFlight()).isZero();
    }

    @Test
    void boundsTheCallersWaitingOnOneVm() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        world.lifecycle.hibernate("web-1", Reason.API).await();
        CountDownLatch release = new CountDownLatch(1);
        WakeCoordinator wakes = new WakeCoordinator(world.fleet, (name, reason) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return world.lifecycle.wake(name, reason);
        }, 3);
        List<CompletableFuture<Vm>> waiting = List.of(wakes.wake("web-1", Reason.DNS), wakes.wake("web-1", Reason.DNS),
                wakes.wake("web-1", Reason.FRONT));
        CompletableFuture<Vm> refused = wakes.wake("web-1", Reason.DNS);
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(VmException.class,
                e -> assertThat(e.kind()).isEqualTo(VmException.Kind.BUSY)).hasMessageContaining("3 callers wait");
        release.countDown();
        for (CompletableFuture<Vm> w : waiting) {
            assertThat(w.get(10, TimeUnit.SECONDS).state()).isEqualTo(VmState.RUNNING);
        }
        assertThat(wakes.wake("web-1", Reason.DNS)).as("a running VM answers at once").isCompleted();
    }

    @Test
    void everyCallerGetsTheSameFailure() throws Exception {
        world.lifecycle.create("web-1", world.definition(128, 0, "standard"), Reason.API).await();
        world.lifecycle.stop("web-1", Reason.API).await();
        WakeCoordinator wakes = new WakeCoordinator(world.fleet, world.lifecycle::wake, 10);
        CompletableFuture<Vm> a = wakes.wake("web-1", Reason.DNS);
        CompletableFuture<Vm> b = wakes.wake("web-1", Reason.DNS);
        for (CompletableFuture<Vm> f : List.of(a, b)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(VmException.class)
                    .hasMessageContaining("never hibernated");
        }
        assertThatThrownBy(() -> wakes.wake("nobody", Reason.DNS).join()).isInstanceOf(CompletionException.class)
                .cause().hasMessageContaining("no VM named nobody");
    }
}
