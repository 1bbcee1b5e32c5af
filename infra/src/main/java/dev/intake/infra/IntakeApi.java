package dev.intake.infra;

import dev.intake.api.Route;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Model;
import software.amazon.awscdk.services.apigateway.ModelOptions;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The REST API: one IAM-authorized method per route, each integrated (Lambda proxy) with its
 * function's {@code live} alias. Resources come from the route paths, so DataZone's
 * {@code /v2/domains/{domainIdentifier}/...} paths work the same way once they are routes.
 */
final class IntakeApi extends Construct {
    /** The content types the AWS SDKs and curl send; each body must be a JSON object. */
    private static final List<String> JSON_CONTENT_TYPES = List.of(
            "application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1");
    /** Methods that carry a request body (a GET of a REST-JSON route has none to validate). */
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    final RestApi api;

    IntakeApi(Construct scope, String id, Map<Route, IntakeFunction> operations) {
        super(scope, id);
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        api = RestApi.Builder.create(this, "RestApi")
                .restApiName("Intake")
                .description("Intake: the import-job APIs of Personalize, Forecast, Lookout for Equipment and DataZone")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // Execution logging needs the account-level API Gateway CloudWatch role.
                .cloudWatchRole(true)
                .defaultMethodOptions(MethodOptions.builder().authorizationType(AuthorizationType.IAM).build())
                .deployOptions(StageOptions.builder()
                        .stageName("api") // DataZone routes are /v2/..., so no version-looking stage name
                        .tracingEnabled(true)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields(JsonWithStandardFieldProps.builder()
                                .caller(true).httpMethod(true).ip(true).protocol(true).requestTime(true)
                                .resourcePath(true).responseLength(true).status(true).user(true).build()))
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .metricsEnabled(true)
                        // Applies to every method (/*/*): a runaway client cannot exhaust Lambda concurrency.
                        .throttlingRateLimit(50)
                        .throttlingBurstLimit(100)
                        .build())
                .build();
        api.getNode().tryRemoveChild("Endpoint"); // CDK's own URL output; the stack outputs ApiUrl

        // Parameters too, so that required parameters of future /v2/... routes are checked.
        RequestValidator validator = api.addRequestValidator("RequestValidator", RequestValidatorOptions.builder()
                .validateRequestBody(true).validateRequestParameters(true).build());
        // Only the outer shape: each handler checks the body against its service model and answers
        // in the dialect's error form.
        Model jsonObject = api.addModel("JsonObjectBody", ModelOptions.builder()
                .contentType("application/json")
                .schema(JsonSchema.builder().type(JsonSchemaType.OBJECT).build())
                .build());
        Map<String, Model> requestModels = JSON_CONTENT_TYPES.stream()
                .collect(Collectors.toMap(type -> type, type -> jsonObject));

        operations.forEach((route, fn) -> api.getRoot().resourceForPath(route.path()).addMethod(route.method(),
                LambdaIntegration.Builder.create(fn.live).allowTestInvoke(false).build(),
                MethodOptions.builder()
                        .authorizationType(AuthorizationType.IAM)
                        .requestValidator(validator)
                        .requestModels(BODY_METHODS.contains(route.method()) ? requestModels : null)
                        .build()));

        Nag.suppress(api, "COG4", "Every method uses AWS_IAM (SigV4), as the AWS APIs Intake mirrors do;"
                + " callers are IAM principals, not Cognito users");
        Nag.suppress(api, "APIG3", "Every method requires SigV4-signed requests of IAM principals and the stage is"
                + " throttled; attach a WAF web ACL where the account's policy asks for one");
        Nag.suppress(api, "IAM4", "The account-level API Gateway logging role uses the AWS-managed"
                + " AmazonAPIGatewayPushToCloudWatchLogs policy, which only writes CloudWatch Logs",
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"));
    }
}
