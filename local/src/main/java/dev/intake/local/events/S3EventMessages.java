package dev.intake.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON of S3's event notification messages, member for member as S3 sends them to an SQS
 * queue (event message structure version 2.1), and of the test message S3 sends when notifications
 * are configured.
 */
public final class S3EventMessages {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** S3's eventTime: always with milliseconds, which Instant.toString drops when they are zero. */
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private S3EventMessages() {
    }

    /** The request an event reports: its ids, and who made it from where. */
    public record Request(String requestId, String hostId, String principalId, String sourceIpAddress) {
    }

    /**
     * One object written.
     *
     * @param eventName  after "ObjectCreated:": Put, Post, Copy or CompleteMultipartUpload
     * @param key        the key as stored (encoded here as S3 encodes it)
     * @param eTag       without quotes
     * @param versionId  null unless the bucket is versioned (S3 leaves the member out then)
     */
    public record ObjectCreated(String eventName, Instant time, String region, String configurationId, String bucket,
                                String ownerPrincipalId, String key, long size, String eTag, String versionId,
                                String sequencer, Request request) {
    }

    public static String objectCreated(ObjectCreated event) {
        ObjectNode message = MAPPER.createObjectNode();
        ObjectNode record = message.putArray("Records").addObject();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", event.region());
        record.put("eventTime", EVENT_TIME.format(event.time()));
        record.put("eventName", "ObjectCreated:" + event.eventName());
        record.putObject("userIdentity").put("principalId", event.request().principalId());
        record.putObject("requestParameters").put("sourceIPAddress", event.request().sourceIpAddress());
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", event.request().requestId());
        response.put("x-amz-id-2", event.request().hostId());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", event.configurationId());
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", event.bucket());
        bucket.putObject("ownerIdentity").put("principalId", event.ownerPrincipalId());
        bucket.put("arn", "arn:aws:s3:::" + event.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", encodeKey(event.key()));
        object.put("size", event.size());
        object.put("eTag", event.eTag());
        if (event.versionId() != null) {
            object.put("versionId", event.versionId());
        }
        object.put("sequencer", event.sequencer());
        return write(message);
    }

    /** What S3 sends to a destination when a bucket's notifications are configured. */
    public static String testEvent(String bucket, Instant time, Request request) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("Service", "Amazon S3");
        message.put("Event", "s3:TestEvent");
        message.put("Time", EVENT_TIME.format(time));
        message.put("Bucket", bucket);
        message.put("RequestId", request.requestId());
        message.put("HostId", request.hostId());
        return write(message);
    }

    /**
     * A key as S3 writes it into an event: form-encoded (a space is '+', a '+' is "%2B", other
     * characters outside letters, digits and ".-*_" are percent-encoded UTF-8), with '/' left as it is.
     */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String write(ObjectNode message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
