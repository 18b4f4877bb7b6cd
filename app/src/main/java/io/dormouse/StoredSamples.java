package io.dormouse;

import io.dormouse.state.MetricSample;
import io.dormouse.state.MetricSamples;
import io.dormouse.state.StateException;
import io.dormouse.telemetry.SampleSink;
import io.dormouse.telemetry.VmSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry's samples into the state database, one transaction per round. A VM deleted between listing
 * and storing fails the batch on its foreign key; the other VMs' samples are then stored VM by VM.
 */
final class StoredSamples implements SampleSink {

    private static final Logger LOG = LoggerFactory.getLogger(StoredSamples.class);

    private final MetricSamples store;

    StoredSamples(MetricSamples store) {
        this.store = store;
    }

    @Override
    public void store(List<VmSample> samples) {
        List<MetricSample> rows = samples.stream()
                .map(s -> new MetricSample(s.vmId(), s.metric().series(), s.at(), s.value()))
                .toList();
        try {
            store.append(rows);
        } catch (StateException e) {
            if (e.kind() != StateException.Kind.NOT_FOUND) {
                throw e;
            }
            Map<Long, List<MetricSample>> byVm = rows.stream()
                    .collect(Collectors.groupingBy(MetricSample::vmId, LinkedHashMap::new, Collectors.toList()));
            byVm.forEach((vmId, some) -> {
                try {
                    store.append(some);
                } catch (StateException gone) {
                    if (gone.kind() != StateException.Kind.NOT_FOUND) {
                        throw gone;
                    }
                    LOG.atDebug().addKeyValue("vmId", vmId).log("samples of a VM deleted during the round dropped");
                }
            });
        }
    }
}
