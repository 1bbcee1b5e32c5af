package dev.intake.adapters.dynamodb;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Sums the capacity units DynamoDB reports for the record store's calls (it asks for
 * ReturnConsumedCapacity TOTAL on each), so a run can say what it cost per row; and counts the
 * requests DynamoDB throttled. As the client's metric publisher it sees every attempt the SDK made,
 * including the throttled ones its retries (exponential backoff with jitter) hid from the caller.
 */
public final class CapacityMeter implements MetricPublisher {
    /** The SDK's error type of an attempt refused for lack of capacity (ProvisionedThroughputExceeded, ThrottlingException, ...). */
    static final String THROTTLING = "Throttling";

    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder conditionFailures = new LongAdder();
    private final LongAdder throttled = new LongAdder();

    /**
     * What was used so far.
     *
     * @param throttledRequests requests DynamoDB refused for lack of capacity, each retried: attempts
     *                          the SDK retried, and batch calls that left items or keys unprocessed
     */
    public record Totals(double readUnits, double writeUnits, long writes, long conditionFailures, long throttledRequests) {
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

    /** A batch call that left some of its items or keys unprocessed (DynamoDB's partial throttling). */
    void unprocessed() {
        throttled.increment();
    }

    /** Counts the throttled attempts of one API call (the SDK publishes each call's metrics once it ends). */
    @Override
    public void publish(MetricCollection call) {
        long count = call.childrenWithName("ApiCallAttempt")
                .filter(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).contains(THROTTLING))
                .count();
        if (count > 0) {
            throttled.add(count);
        }
    }

    @Override
    public void close() {
    }

    public long throttledRequests() {
        return throttled.sum();
    }

    public Totals totals() {
        return new Totals(readUnits.sum(), writeUnits.sum(), writes.sum(), conditionFailures.sum(), throttled.sum());
    }
}
