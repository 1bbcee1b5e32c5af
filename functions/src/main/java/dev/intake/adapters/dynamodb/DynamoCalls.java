package dev.intake.adapters.dynamodb;

import dev.intake.core.TransientImportException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * DynamoDB calls as the workflow needs their failures: throttling that outlasted the SDK's own
 * retries, a server error, or a DynamoDB that cannot be reached is transient (the step is retried
 * later, TransientImportException); anything else is the caller's to handle.
 */
final class DynamoCalls {
    private DynamoCalls() {
    }

    static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkClientException e) {
            throw new TransientImportException("Could not reach DynamoDB; will retry", e);
        } catch (DynamoDbException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new TransientImportException("DynamoDB is busy (" + e.awsErrorDetails().errorCode() + "); will retry", e);
            }
            throw e;
        }
    }

    static void run(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }

    /** Waits between attempts (the adapters' default sleeper). */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
