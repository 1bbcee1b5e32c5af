package dev.intake.api;

import dev.intake.core.ErrorKind;
import dev.intake.core.JobStatus;

/**
 * How one AWS service's JSON protocol looks on the wire: its X-Amz-Target prefix, content type and
 * the error names it uses for each kind of failure.
 */
public enum Dialect {
    PERSONALIZE("personalize", "AmazonPersonalize", "application/x-amz-json-1.1", "personalize"),
    /** Intake's own operations: Personalize's conventions (camelCase, InvalidInputException, ...). */
    INTAKE("intake", "Intake", "application/x-amz-json-1.1", "personalize"),
    /** Amazon Forecast's data side: PascalCase members, CREATE_PENDING-style statuses, "Message" in errors. */
    FORECAST("forecast", "AmazonForecast", "application/x-amz-json-1.1", "forecast"),
    /** Amazon Lookout for Equipment's datasets and ingestion (JSON 1.0): PascalCase, "Message" in errors. */
    LOOKOUTEQUIPMENT("lookoutequipment", "AWSLookoutEquipmentFrontendService", "application/x-amz-json-1.0",
            "lookoutequipment"),
    /** Amazon DataZone's data sources and their runs: rest-json, errors with the model's HTTP codes. */
    DATAZONE("datazone", "DataZone", "application/json", "datazone");

    private final String pathSegment;
    private final String targetPrefix;
    private final String contentType;
    private final String arnService;

    Dialect(String pathSegment, String targetPrefix, String contentType, String arnService) {
        this.pathSegment = pathSegment;
        this.targetPrefix = targetPrefix;
        this.contentType = contentType;
        this.arnService = arnService;
    }

    /** Whether its operations are rest routes (method and path template), not POSTs with a target. */
    public boolean rest() {
        return this == DATAZONE;
    }

    public String pathSegment() {
        return pathSegment;
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public String contentType() {
        return contentType;
    }

    public String arnService() {
        return arnService;
    }

    /** How the dialect names an import job's status (one table for all dialects: docs/ARCHITECTURE.md). */
    public String jobStatus(JobStatus status) {
        if (this == LOOKOUTEQUIPMENT) {
            // An ingestion job is IN_PROGRESS until it ends; it knows no stop: a stopped one did not succeed.
            return switch (status) {
                case PENDING, IN_PROGRESS, STOPPING -> "IN_PROGRESS";
                case ACTIVE -> "SUCCESS";
                case FAILED, STOPPED -> "FAILED";
            };
        }
        if (this == FORECAST) {
            // Forecast's model spells every status with an underscore and knows the stop.
            return switch (status) {
                case PENDING -> "CREATE_PENDING";
                case IN_PROGRESS -> "CREATE_IN_PROGRESS";
                case ACTIVE -> "ACTIVE";
                case FAILED -> "CREATE_FAILED";
                case STOPPING -> "CREATE_STOPPING";
                case STOPPED -> "CREATE_STOPPED";
            };
        }
        return switch (status) {
            case PENDING -> "CREATE PENDING";
            case IN_PROGRESS -> "CREATE IN_PROGRESS";
            case ACTIVE -> "ACTIVE";
            case FAILED -> "CREATE FAILED";
            // Personalize's model knows no stop (CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or-
            // CREATE FAILED): a stopping job is still in progress to it, a stopped one did not
            // become ACTIVE, and its failureReason says it was stopped.
            case STOPPING -> this == PERSONALIZE ? "CREATE IN_PROGRESS" : "CREATE STOPPING";
            case STOPPED -> this == PERSONALIZE ? "CREATE FAILED" : "CREATE STOPPED";
        };
    }

    /** The model's error shape for a kind of failure. */
    public String errorName(ErrorKind kind) {
        if (this == LOOKOUTEQUIPMENT) {
            // Lookout's model has fewer, broader errors: a clash of any kind is a ConflictException,
            // every refused value a ValidationException, every limit a ServiceQuotaExceededException.
            return switch (kind) {
                case INVALID_INPUT, INVALID_NEXT_TOKEN, TOO_MANY_TAG_KEYS -> "ValidationException";
                case CONFLICT, ALREADY_EXISTS, IN_USE -> "ConflictException";
                case ACCESS_DENIED -> "AccessDeniedException";
                case SERIALIZATION -> "SerializationException";
                case NOT_FOUND -> "ResourceNotFoundException";
                case LIMIT_EXCEEDED, TOO_MANY_TAGS -> "ServiceQuotaExceededException";
                case PAYLOAD_TOO_LARGE -> "RequestEntityTooLargeException";
            };
        }
        if (this == DATAZONE) {
            // DataZone's operations all list these shapes (and no others a caller can cause here).
            return switch (kind) {
                case NOT_FOUND -> "ResourceNotFoundException";
                case ALREADY_EXISTS, CONFLICT, IN_USE -> "ConflictException";
                case ACCESS_DENIED -> "AccessDeniedException";
                case LIMIT_EXCEEDED -> "ServiceQuotaExceededException";
                default -> "ValidationException";
            };
        }
        return switch (kind) {
            // Personalize's CreateDatasetImportJob (and Intake's operations, on its model) declare no
            // AccessDeniedException: a refused location or role is the closest error they have.
            case INVALID_INPUT, CONFLICT, ACCESS_DENIED -> "InvalidInputException";
            case SERIALIZATION -> "SerializationException";
            case NOT_FOUND -> "ResourceNotFoundException";
            case ALREADY_EXISTS -> "ResourceAlreadyExistsException";
            case IN_USE -> "ResourceInUseException";
            case LIMIT_EXCEEDED -> "LimitExceededException";
            case INVALID_NEXT_TOKEN -> "InvalidNextTokenException";
            case PAYLOAD_TOO_LARGE -> "RequestEntityTooLargeException";
            case TOO_MANY_TAGS -> "TooManyTagsException";
            case TOO_MANY_TAG_KEYS -> "TooManyTagKeysException";
        };
    }

    /** The model's HTTP status for the error; the JSON-protocol models declare none, so 400. */
    public int errorStatus(ErrorKind kind) {
        if (this == DATAZONE) {
            // the httpStatusCode of each error shape in DataZone's model
            return switch (errorName(kind)) {
                case "ResourceNotFoundException" -> 404;
                case "ConflictException" -> 409;
                case "AccessDeniedException" -> 403;
                case "ServiceQuotaExceededException" -> 402;
                default -> 400;
            };
        }
        return kind == ErrorKind.PAYLOAD_TOO_LARGE ? 413 : 400;
    }

    /** The member of the error shape that carries the message. */
    public String messageField() {
        // Forecast's and Lookout for Equipment's error shapes name it Message
        return this == FORECAST || this == LOOKOUTEQUIPMENT ? "Message" : "message";
    }
}
