package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpeningsTest {

    @Test
    void aVmGetsAtMostItsOpeningsAtOnceAndAnEndedTurnLetsTheNextIn() throws Exception {
        Openings openings = new Openings(2, Duration.ofMinutes(1));
        List<Openings.Turn> turns = new ArrayList<>(List.of(openings.begin("a"), openings.begin("a")));
        CompletableFuture<Openings.Turn> third = async(openings, "a");
        assertThat(openings.begin("b")).as("another VM has its own openings").isNotNull();
        Thread.sleep(100);
        assertThat(third).as("a third opening of the same VM waits").isNotDone();
        turns.getFirst().end();
        turns.getFirst().end();
        assertThat(third.get(5, TimeUnit.SECONDS)).isNotNull();
        CompletableFuture<Openings.Turn> fourth = async(openings, "a");
        Thread.sleep(100);
        assertThat(fourth).as("ending a turn twice frees one place only").isNotDone();
    }

    @Test
    void aTurnEndsByItselfAfterThePatience() throws Exception {
        Openings openings = new Openings(1, Duration.ofMillis(100));
        openings.begin("a");
        assertThat(async(openings, "a").get(5, TimeUnit.SECONDS)).isNotNull();
    }

    private static CompletableFuture<Openings.Turn> async(Openings openings, String vm) {
        CompletableFuture<Openings.Turn> turn = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                turn.complete(openings.begin(vm));
            } catch (InterruptedException e) {
                turn.completeExceptionally(e);
            }
        });
        return turn;
    }
}
