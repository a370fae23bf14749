package org.phicourier.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phicourier.spi.StreamTransform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's transformations bound once for every thread that transforms its batches: the
 * stream as bound, plus a copy for each further thread when every transformation offers one.
 */
final class TransformLanes {
    private static final Logger LOG = LoggerFactory.getLogger(TransformLanes.class);

    private final List<BoundStream> lanes;

    private TransformLanes(List<BoundStream> lanes) {
        this.lanes = List.copyOf(lanes);
    }

    /**
     * Binds up to {@code threads} lanes; one when a transformation must see every batch or the
     * stream has no transformation, as a second thread would then have nothing to share.
     */
    static TransformLanes of(BoundStream stream, int threads) {
        List<BoundStream> lanes = new ArrayList<>(List.of(stream));
        while (lanes.size() < threads && !stream.transforms().isEmpty()) {
            Optional<BoundStream> copy = stream.copy();
            if (copy.isEmpty()) {
                LOG.debug("stream '{}': transformed on one thread, as a transformation must see"
                        + " every batch in order", stream.name());
                break;
            }
            lanes.add(copy.get());
        }
        return new TransformLanes(lanes);
    }

    List<BoundStream> lanes() {
        return lanes;
    }

    /** Sums the reader's counters and those of every lane by name. */
    Map<String, Long> counters(Map<String, Long> reader) {
        Map<String, Long> all = new HashMap<>(reader);
        for (BoundStream lane : lanes) {
            for (StreamTransform transform : lane.transforms()) {
                transform.counters().forEach((name, n) -> all.merge(name, n, Long::sum));
            }
        }
        return all;
    }
}
