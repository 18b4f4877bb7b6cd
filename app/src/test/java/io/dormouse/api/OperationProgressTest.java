package io.dormouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.snapshot.Progress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationProgressTest {

    private final OperationProgress progress = new OperationProgress();

    @Test
    void anOperationIsVisibleByItsTokenWhileItRuns() {
        Optional<String> token = Optional.of("abcdef123456");
        Progress sink = progress.track(token, "gc", "packs");

        assertThat(progress.find("abcdef123456")).contains(new OperationProgress.View("gc", "packs", 0, 0));
        sink.update(3, 8);
        assertThat(progress.find("abcdef123456")).contains(new OperationProgress.View("gc", "packs", 3, 8));
        progress.end(token);
        assertThat(progress.find("abcdef123456")).isEmpty();
    }

    @Test
    void withoutATokenNothingIsRecorded() {
        assertThat(progress.track(Optional.empty(), "gc", "packs")).isSameAs(Progress.NONE);
    }

    @Test
    void aTokenIsEightToSixtyFourSafeCharacters() {
        assertThat(OperationProgress.token("a1-_B2c3")).isEqualTo("a1-_B2c3");
        assertThatThrownBy(() -> OperationProgress.token("short")).isInstanceOf(ApiException.class)
                .hasMessageContaining("progress must be a token of 8 to 64").hasMessageContaining("short");
        assertThatThrownBy(() -> OperationProgress.token("../../etc/passwd")).isInstanceOf(ApiException.class);
    }
}
