package dev.intake.adapters.dynamodb;

import dev.intake.core.ImportJob;
import dev.intake.core.JobStateChange;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The control table's stream records (as Lambda delivers them, NEW_AND_OLD_IMAGES) read as job state
 * changes: only job items (pk {@code JOB#<name>}, sk {@code JOB}) count, and only writes that change
 * the job's status (creating it, a transition, its end), through the same item mapping the job store
 * uses.
 */
public final class JobStreamImages {
    private JobStreamImages() {
    }

    /** Whether a record's keys are an import job's item (not its chunk results, queue entry or dataset). */
    public static boolean isJob(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> keys) {
        if (keys == null || keys.get("pk") == null || keys.get("sk") == null) {
            return false;
        }
        String pk = keys.get("pk").getS();
        return pk != null && pk.startsWith(ControlKeys.jobPk("")) && ControlKeys.JOB_SK.equals(keys.get("sk").getS());
    }

    /**
     * The job's status change between the record's old and new image; empty when its status did not
     * change.
     */
    public static Optional<JobStateChange> change(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> oldImage,
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> newImage) {
        return JobStateChange.between(job(oldImage), job(newImage));
    }

    private static ImportJob job(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        return image == null || image.isEmpty() ? null : DynamoJobStore.toJob(item(image));
    }

    static Map<String, AttributeValue> item(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> item = new HashMap<>();
        image.forEach((name, value) -> item.put(name, value(value)));
        return item;
    }

    /** One attribute value of Lambda's event model as the SDK's (the same DynamoDB JSON, another class). */
    static AttributeValue value(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (v.getNULL() != null) {
            return AttributeValue.fromNul(v.getNULL());
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB()));
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(item(v.getM()));
        }
        if (v.getL() != null) {
            return AttributeValue.fromL(v.getL().stream().map(JobStreamImages::value).toList());
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        if (v.getBS() != null) {
            return AttributeValue.fromBs(v.getBS().stream().map(SdkBytes::fromByteBuffer).toList());
        }
        throw new IllegalArgumentException("an attribute value of no known type: " + v);
    }
}
