package dev.intake.core.stats;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the sketch library runs on this JVM. Its memory layer (datasketches-memory 3.0.2) refuses
 * JDKs other than 8, 11, 17 and 21 when it is first used; on another JDK imports still run and
 * count everything else, without distinct counts (CountDistinct is then left out), rather than fail.
 */
final class DistinctSketches {
    private static final Logger LOG = LoggerFactory.getLogger(DistinctSketches.class);
    static final boolean AVAILABLE = probe();

    private DistinctSketches() {
    }

    private static boolean probe() {
        try {
            HllSketch probe = new HllSketch(MIN_LG_K, TgtHllType.HLL_4);
            probe.update(1L);
            return HllSketch.heapify(probe.toCompactByteArray()).getEstimate() > 0;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("distinct counts of field statistics are off: the sketch library does not run on Java {} ({})",
                    System.getProperty("java.version"), e.toString());
            return false;
        }
    }

    private static final int MIN_LG_K = 4;
}
