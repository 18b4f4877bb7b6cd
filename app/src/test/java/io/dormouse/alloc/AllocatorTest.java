package io.dormouse.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AllocatorTest {

    private static final Resources VM = new Resources(1, 512, 0);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T08:00:00Z"));
    private final InstantSource clock = () -> now.get();

    private Allocator allocator(boolean preemption, Set<String> idle, Host... hosts) {
        return new Allocator(List.of(hosts), preemption, idle::contains, clock);
    }

    private static Demand demand(String vm, SlaClass sla, int priority) {
        return new Demand(vm, VM, sla, priority);
    }

    @Test
    void slaClassThenPriorityThenWaitingTimeDecidesWhoRunsWhenRoomIsShort() {
        Allocator allocator = allocator(false, Set.of(), new Host("h1", new Resources(2, 1024, 0)));
        assertThat(allocator.admit(demand("old-1", SlaClass.BRONZE, 0))).isInstanceOf(Placement.Placed.class);
        assertThat(allocator.admit(demand("old-2", SlaClass.BRONZE, 0))).isInstanceOf(Placement.Placed.class);

        var bronze = (Placement.Queued) allocator.admit(demand("bronze", SlaClass.BRONZE, 9));
        now.set(now.get().plusSeconds(1));
        var standardLate = (Placement.Queued) allocator.admit(demand("standard-late", SlaClass.STANDARD, 1));
        var gold = (Placement.Queued) allocator.admit(demand("gold", SlaClass.GOLD, 0));
        now.set(now.get().minusSeconds(5));
        var standardEarly = (Placement.Queued) allocator.admit(demand("standard-early", SlaClass.STANDARD, 1));
        assertThat(gold.position()).isEqualTo(1);
        assertThat(allocator.queueDepth()).isEqualTo(4);

        allocator.release("old-1");
        allocator.release("old-2");
        assertThat(gold.placed()).isCompletedWithValue(new Placement.Placed("h1"));
        assertThat(standardEarly.placed()).as("same class and priority: the one waiting longer").isCompleted();
        assertThat(standardLate.placed()).isNotDone();
        assertThat(bronze.placed()).as("a higher priority does not beat a better SLA class").isNotDone();
        assertThat(allocator.queueDepth()).isEqualTo(2);

        allocator.release("gold");
        assertThat(standardLate.placed()).isCompleted();
        assertThat(bronze.placed()).isNotDone();
    }

    @Test
    void aNewDemandDoesNotJumpTheQueue() {
        Allocator allocator = allocator(false, Set.of(), new Host("h1", new Resources(1, 512, 0)));
        allocator.admit(demand("a", SlaClass.STANDARD, 0));
        var waiting = (Placement.Queued) allocator.admit(demand("b", SlaClass.GOLD, 0));
        allocator.release("a");
        assertThat(waiting.placed()).isCompleted();
        allocator.release("b");
        assertThat(allocator.admit(demand("c", SlaClass.BRONZE, 0))).isInstanceOf(Placement.Placed.class);
    }

    @Test
    void preemptionHibernatesTheLowestPriorityIdleVm() {
        Allocator allocator = allocator(true, Set.of("low", "lower", "busy"), new Host("h1", new Resources(3, 1536, 0)));
        allocator.admit(demand("low", SlaClass.STANDARD, 3));
        allocator.admit(demand("lower", SlaClass.STANDARD, 1));
        allocator.admit(demand("busy", SlaClass.STANDARD, 0));

        Placement placement = allocator.admit(demand("urgent", SlaClass.GOLD, 5));
        assertThat(placement).isEqualTo(new Placement.Preempt("h1", List.of("busy")));

        Allocator noIdle = allocator(true, Set.of(), new Host("h1", new Resources(1, 512, 0)));
        noIdle.admit(demand("active", SlaClass.STANDARD, 0));
        assertThat(noIdle.admit(demand("urgent", SlaClass.GOLD, 5))).as("only idle VMs are preempted")
                .isInstanceOf(Placement.Queued.class);

        Allocator off = allocator(false, Set.of("idle"), new Host("h1", new Resources(1, 512, 0)));
        off.admit(demand("idle", SlaClass.STANDARD, 0));
        assertThat(off.admit(demand("urgent", SlaClass.GOLD, 5))).isInstanceOf(Placement.Queued.class);
    }

    @Test
    void preemptsNothingOfEqualOrHigherPriority() {
        Allocator allocator = allocator(true, Set.of("peer"), new Host("h1", new Resources(1, 512, 0)));
        allocator.admit(demand("peer", SlaClass.BRONZE, 5));
        assertThat(allocator.admit(demand("urgent", SlaClass.GOLD, 5))).isInstanceOf(Placement.Queued.class);
    }

    @Test
    void placesOnTheHostLeftFullest() {
        Allocator allocator = allocator(false, Set.of(), new Host("big", new Resources(8, 8192, 0)),
                new Host("small", new Resources(2, 1024, 0)));
        assertThat(allocator.admit(demand("a", SlaClass.STANDARD, 0))).isEqualTo(new Placement.Placed("small"));
        assertThat(allocator.admit(demand("b", SlaClass.STANDARD, 0))).isEqualTo(new Placement.Placed("small"));
        assertThat(allocator.admit(demand("c", SlaClass.STANDARD, 0))).isEqualTo(new Placement.Placed("big"));
        assertThat(allocator.used()).isEqualTo(new Resources(3, 1536, 0));
    }

    @Test
    void refusesWhatNoHostCouldEverHold() {
        Allocator allocator = allocator(false, Set.of(), new Host("h1", new Resources(2, 1024, 100)));
        assertThatThrownBy(() -> allocator.admit(new Demand("huge", new Resources(1, 4096, 0), SlaClass.GOLD, 0)))
                .isInstanceOf(AllocException.class).hasMessageContaining("VM huge needs 1 vCPU, 4096 MiB")
                .hasMessageContaining("h1: 2 vCPU, 1024 MiB");
        assertThatThrownBy(() -> allocator.check("chatty", new Resources(1, 16, 1000))).isInstanceOf(AllocException.class);
        assertThat(allocator.used()).isEqualTo(Resources.NONE);
        assertThat(allocator.queueDepth()).isZero();
    }

    @Test
    void reservedRoomComesBackToItsVm() {
        Allocator allocator = allocator(false, Set.of(), new Host("h1", new Resources(1, 512, 0)));
        allocator.admit(demand("sleeper", SlaClass.STANDARD, 0));
        allocator.reserve("sleeper");
        assertThat(allocator.reserved()).isEqualTo(VM);
        assertThat(allocator.admit(demand("other", SlaClass.GOLD, 9))).isInstanceOf(Placement.Queued.class);
        assertThat(allocator.admit(demand("sleeper", SlaClass.STANDARD, 0))).isEqualTo(new Placement.Placed("h1"));
        assertThat(allocator.reserved()).isEqualTo(Resources.NONE);
    }
}
