package io.dormouse.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.hypervisor.ResizeResult;
import java.time.Duration;
import java.util.Map;

/**
 * Memory resize through the virtio-balloon device: QEMU sets the target, the guest's
 * balloon driver gives the memory back. A guest without the driver never follows, which is
 * reported rather than taken for success.
 */
final class Balloon {

    private static final Duration FOLLOW = Duration.ofSeconds(2);

    private Balloon() {
    }

    static ResizeResult.Outcome resize(QmpClient qmp, int mib, Duration timeout) {
        long target = (long) mib << 20;
        try {
            qmp.execute("balloon", Map.of("value", target), timeout);
            long deadline = System.nanoTime() + FOLLOW.toNanos();
            long actual;
            do {
                JsonNode info = qmp.execute("query-balloon", timeout);
                actual = info.path("actual").asLong();
                if (actual == target) {
                    return new ResizeResult.Applied("virtio-balloon at " + mib + " MiB");
                }
                Thread.sleep(50);
            } while (System.nanoTime() - deadline < 0);
            return new ResizeResult.Unsupported("virtio-balloon target set to " + mib + " MiB but the guest stays at "
                    + (actual >> 20) + " MiB after " + FOLLOW + ": no balloon driver in the guest?");
        } catch (QmpException e) {
            return new ResizeResult.Unsupported("balloon: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ResizeResult.Unsupported("interrupted");
        }
    }
}
