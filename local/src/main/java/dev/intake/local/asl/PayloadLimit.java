package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Step Functions' payload quota: a state's input or output, and a task's or Map's result, is at most
 * 262,144 bytes of UTF-8 JSON. A larger one fails the execution with States.DataLimitExceeded, which
 * no Retry or Catch handles. The local executor enforces it so that a definition that only works
 * here (a Map whose result grows with its items, a task that returns a whole file) fails here too.
 */
final class PayloadLimit {
    static final int MAX_BYTES = 262_144;

    private PayloadLimit() {
    }

    /** @throws StateFailure States.DataLimitExceeded when {@code value} is larger than the quota */
    static void requireWithin(JsonNode value, String stateName) throws StateFailure {
        if (value != null && utf8Length(value) > MAX_BYTES) {
            throw new StateFailure(ErrorNames.DATA_LIMIT_EXCEEDED, "The state/task '" + stateName
                    + "' returned a result with a size exceeding the maximum number of bytes service limit ("
                    + MAX_BYTES + " bytes).");
        }
    }

    /** The length of the value's compact JSON in UTF-8, counted as it is written (stops counting past the quota). */
    static long utf8Length(JsonNode value) {
        Counter counter = new Counter();
        try {
            JsonValues.MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            if (counter.bytes <= MAX_BYTES) { // not our stop: Jackson failed to write it
                throw new IllegalStateException("counting the bytes of a JSON value", e);
            }
        }
        return counter.bytes;
    }

    /** Thrown to stop writing once the count is past the quota: the rest need not be written. */
    private static final class Full extends IOException {
        Full() {
            super(null, null);
        }
    }

    private static final class Counter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) throws Full {
            bytes++;
            check();
        }

        @Override
        public void write(byte[] b, int off, int len) throws Full {
            bytes += len;
            check();
        }

        private void check() throws Full {
            if (bytes > MAX_BYTES) {
                throw new Full();
            }
        }
    }
}
