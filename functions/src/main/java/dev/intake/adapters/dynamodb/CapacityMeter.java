package dev.intake.adapters.dynamodb;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Sums the capacity units DynamoDB reports for the record store's calls (it asks for
 * ReturnConsumedCapacity TOTAL on each), so a run can say what it cost per row.
 */
public final class CapacityMeter {
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder conditionFailures = new LongAdder();

    /** What was used so far. */
    public record Totals(double readUnits, double writeUnits, long writes, long conditionFailures) {
    }

    void read(ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            readUnits.add(capacity.capacityUnits());
        }
    }

    void write(ConsumedCapacity capacity) {
        writes.increment();
        if (capacity != null && capacity.capacityUnits() != null) {
            writeUnits.add(capacity.capacityUnits());
        }
    }

    /**
     * A conditional write whose condition failed. DynamoDB bills it like the write (its exception
     * carries no ConsumedCapacity), so it is counted here; the caller adds its units when estimating.
     */
    void conditionFailed() {
        conditionFailures.increment();
    }

    public Totals totals() {
        return new Totals(readUnits.sum(), writeUnits.sum(), writes.sum(), conditionFailures.sum());
    }
}
