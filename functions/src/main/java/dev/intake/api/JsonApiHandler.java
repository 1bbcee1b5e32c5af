package dev.intake.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.app.JobLogging;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The shape every JSON-protocol operation shares: parse the body, check it against the service
 * model, run the operation, answer in the dialect's wire form. Errors the caller caused get the
 * model's error shape and a message naming the problem; anything else is logged and answered with
 * a 500 that carries only a request id.
 */
public abstract class JsonApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(JsonApiHandler.class);
    /** No operation takes more (the largest member, an Avro schema, is 20,000 characters). */
    static final int MAX_BODY_CHARS = 256 * 1024;
    /** Job names are at most 63 characters in the models; a log field takes no more than this. */
    static final int MAX_JOB_NAME_CHARS = 256;

    protected final Services services;
    protected final Dialect dialect;
    private final String operation;
    private final ServiceModel model;

    protected JsonApiHandler(Services services, Dialect dialect, String operation) {
        this.services = services;
        this.dialect = dialect;
        this.operation = operation;
        this.model = ServiceModel.load(dialect.name().toLowerCase(java.util.Locale.ROOT));
        if (!model.hasOperation(operation)) {
            throw new IllegalStateException(operation + " is not an operation of the " + dialect + " model");
        }
        // In Lambda, SnapStart's snapshot holds this handler's request path primed (see prime()).
        dev.intake.app.SnapStartPriming.addToCurrent(dialect + " " + operation + " request path", this::prime);
    }

    /**
     * Runs what a request runs without running the operation: a body that is not JSON answered with
     * its error, an empty request checked against the operation's input shape, a response written.
     * Touches no storage.
     */
    void prime() {
        handle(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withBody("{"), null);
        try {
            model.validateInput(operation, Json.MAPPER.createObjectNode());
        } catch (IntakeException expected) {
            // most operations require members: the check ran all the same
        }
    }

    /**
     * The request as the model's checks see it: the request itself, unless an operation's model
     * constrains a member more narrowly than the service does (see Forecast's ListDatasetImportJobs).
     */
    /** The response as the model's output check sees it (a dialect can stand in for what its model mis-describes). */
    protected JsonNode conformanceView(JsonNode response) {
        return response;
    }

    protected JsonNode validationView(JsonNode request) {
        return request;
    }

    /**
     * The operation's input as one JSON object: the body, for the JSON protocols; rest-json handlers
     * add the path parameters and query string (see RestApiHandler).
     */
    protected JsonNode requestOf(APIGatewayProxyRequestEvent event) {
        return parse(event.getBody());
    }

    /** The HTTP status of a success: 200, or what a rest protocol's model says (201 on create). */
    protected int successStatus() {
        return 200;
    }

    protected final ServiceModel model() {
        return model;
    }

    protected final String operation() {
        return operation;
    }

    /** Runs the operation on a request that passed the model's checks. */
    protected abstract JsonNode handle(JsonNode request);

    /**
     * Tests set {@code intake.checkResponses} (the build does, for every module's tests): every
     * response is then checked against its operation's output shape in the model, and one that
     * differs fails the request with a 500 naming the difference, so no test passes on a response
     * the service's SDK would misread.
     */
    private static final boolean CHECK_RESPONSES = Boolean.getBoolean("intake.checkResponses");

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        if (context == null) {
            return handle(event, null); // outside Lambda (the local server): no Lambda fields to log
        }
        return PowertoolsLogging.withLogging(context, () -> handle(event, context));
    }

    private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId()
                : UUID.randomUUID().toString();
        JsonNode request;
        try {
            request = requestOf(event);
        } catch (RuntimeException e) {
            return failed(requestId, e);
        }
        // Every line logged about a request that names an import job names the job.
        return JobLogging.about(jobNameOf(request), () -> {
            try {
                model.validateInput(operation, validationView(request));
                JsonNode response = handle(request);
                // Intake's own model describes only some outputs; the AWS services' models, all of them.
                if (CHECK_RESPONSES && (dialect != Dialect.INTAKE || model.hasOutput(operation))) {
                    var problems = model.outputProblems(operation,
                            conformanceView(response == null ? Json.MAPPER.createObjectNode() : response));
                    if (!problems.isEmpty()) {
                        throw new IllegalStateException(dialect + " " + operation + " answered outside its model's output "
                                + "shape: " + problems + " in " + response);
                    }
                }
                return respond(successStatus(), requestId, null, response == null ? "{}" : Json.write(response));
            } catch (RuntimeException e) {
                return failed(requestId, e);
            }
        });
    }

    /** The caller's errors in the model's shape; anything else logged and answered with a bare 500. */
    private APIGatewayProxyResponseEvent failed(String requestId, RuntimeException e) {
        if (e instanceof IntakeException intake) {
            return error(requestId, intake.kind(), intake.getMessage());
        }
        LOG.error("{} failed unexpectedly (request {})", operation, requestId, e);
        ApiError err = new ApiError(500, dialect == Dialect.DATAZONE ? "InternalServerException" : "InternalFailure", dialect.messageField(),
                "The request could not be processed because of an internal error (request id " + requestId + ")");
        return respond(err.status(), requestId, err.type(), Json.write(err.body()));
    }

    /**
     * The import job a request is about: its jobName, or the name in its datasetImportJobArn; else
     * null. Not validated yet, so cut to the longest a valid one can be.
     */
    static String jobNameOf(JsonNode request) {
        String name = null;
        JsonNode jobName = request.has("jobName") ? request.get("jobName") : request.get("DatasetImportJobName");
        JsonNode arn = request.has("datasetImportJobArn") ? request.get("datasetImportJobArn") : request.get("DatasetImportJobArn");
        if (jobName != null && jobName.isTextual()) {
            name = jobName.asText();
        } else if (arn != null && arn.isTextual()) {
            String text = arn.asText();
            name = text.substring(text.lastIndexOf('/') + 1);
        }
        if (name == null && request.get("JobId") != null && request.get("JobId").isTextual()) {
            name = request.get("JobId").asText(); // Lookout for Equipment's ingestion jobs are named by their JobId
        }
        if (name == null || name.isEmpty()) {
            return null;
        }
        return name.length() <= MAX_JOB_NAME_CHARS ? name : name.substring(0, MAX_JOB_NAME_CHARS);
    }

    protected static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new IntakeException(ErrorKind.PAYLOAD_TOO_LARGE, "The request body has " + body.length()
                    + " characters; the limit is " + MAX_BODY_CHARS);
        }
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IntakeException(ErrorKind.SERIALIZATION, "The request body is not valid JSON"
                    + (at == null ? " (or nests or numbers beyond the parser's limits)"
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    private APIGatewayProxyResponseEvent error(String requestId, ErrorKind kind, String message) {
        ApiError err = new ApiError(dialect.errorStatus(kind), dialect.errorName(kind), dialect.messageField(), message);
        return respond(err.status(), requestId, err.type(), Json.write(err.body()));
    }

    private APIGatewayProxyResponseEvent respond(int status, String requestId, String errorType, String body) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", dialect.contentType());
        headers.put("x-amzn-RequestId", requestId);
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", errorType);
        }
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body);
    }

    /** A required string member (the model check already ensured it is present). */
    protected static String text(JsonNode request, String field) {
        JsonNode node = request.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
