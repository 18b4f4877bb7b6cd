package io.dormouse.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VmStateTest {

    @Test
    void followsTheLifecycleDiagram() {
        assertThat(VmState.PROVISIONING.canMoveTo(VmState.RUNNING)).isTrue();
        assertThat(VmState.RUNNING.canMoveTo(VmState.HIBERNATING)).isTrue();
        assertThat(VmState.HIBERNATING.canMoveTo(VmState.HIBERNATED)).isTrue();
        assertThat(VmState.HIBERNATED.canMoveTo(VmState.RESTORING)).isTrue();
        assertThat(VmState.RESTORING.canMoveTo(VmState.RUNNING)).isTrue();
        assertThat(VmState.RUNNING.canMoveTo(VmState.STOPPING)).isTrue();
        assertThat(VmState.STOPPING.canMoveTo(VmState.STOPPED)).isTrue();
        assertThat(VmState.STOPPED.canMoveTo(VmState.PROVISIONING)).isTrue();
        for (VmState s : VmState.ALL) {
            if (!(s instanceof VmState.Failed) && !(s instanceof VmState.Terminated)) {
                assertThat(s.canMoveTo(VmState.FAILED)).as(s.label() + " → failed").isTrue();
            }
        }
        assertThat(VmState.ALL.stream().filter(s -> s.canMoveTo(VmState.TERMINATED)).map(VmState::label))
                .containsExactlyInAnyOrder("hibernated", "stopped", "failed");
        assertThat(VmState.TERMINATED.next()).isEmpty();
    }

    @Test
    void refusesMovesOutsideTheDiagram() {
        assertThat(VmState.STOPPED.canMoveTo(VmState.HIBERNATING)).isFalse();
        assertThat(VmState.HIBERNATED.canMoveTo(VmState.RUNNING)).as("a restore goes through restoring").isFalse();
        assertThat(VmState.RUNNING.canMoveTo(VmState.TERMINATED)).isFalse();
        assertThat(VmException.illegal("web-1", VmState.STOPPED, VmState.HIBERNATING))
                .hasMessageContaining("VM web-1 is stopped and cannot become hibernating")
                .hasMessageContaining("[failed, provisioning, terminated]")
                .extracting(VmException::kind).isEqualTo(VmException.Kind.ILLEGAL_TRANSITION);
    }

    @Test
    void readsItsLabelsBack() {
        for (VmState s : VmState.ALL) {
            assertThat(VmState.of(s.label().toUpperCase())).isEqualTo(s);
        }
        assertThatThrownBy(() -> VmState.of("sleeping")).hasMessageContaining("got 'sleeping'")
                .hasMessageContaining("hibernated");
    }
}
