package dev.intake.infra;

import dev.intake.api.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Permission;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.AwsIntegration;
import software.amazon.awscdk.services.apigateway.IResource;
import software.amazon.awscdk.services.apigateway.Integration;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.ResourceAttributes;
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
 *
 * <p>The API, its stage, validator and models live in the parent stack; each route's resource,
 * method and invoke permission live in the stack of its function (an {@link OperationsStack}),
 * under the API's resources imported there. A path shared by the routes of two stacks (e.g.
 * {@code /personalize} when a dialect spans two stacks) is made in the parent, since API Gateway
 * allows one resource per path. The methods still belong to this {@link RestApi}, so its
 * deployment is hashed over them and depends on their stacks: a changed method is redeployed.
 */
final class IntakeApi extends Construct {
    /** The content types the AWS SDKs and curl send; each body must be a JSON object. */
    private static final List<String> JSON_CONTENT_TYPES = List.of(
            "application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1");
    /** Methods that carry a request body (a GET of a REST-JSON route has none to validate). */
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    /** DataZone routes are /v2/..., so no version-looking stage name. */
    static final String STAGE = "api";

    final RestApi api;
    private final RequestValidator validator;
    private final Map<String, Model> requestModels;
    /** Paths made in the parent stack because routes of more than one stack are under them. */
    private final Map<String, IResource> sharedResources = new LinkedHashMap<>();
    /** Per stack, the resources it made or imported, by path ("" is the root). */
    private final Map<Stack, Map<String, IResource>> resourcesByStack = new HashMap<>();

    /** @param routesByStack the routes, grouped as their functions' stacks will be */
    IntakeApi(Construct scope, String id, Collection<List<Route>> routesByStack) {
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
                        .stageName(STAGE)
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
        validator = api.addRequestValidator("RequestValidator", RequestValidatorOptions.builder()
                .validateRequestBody(true).validateRequestParameters(true).build());
        // Only the outer shape: each handler checks the body against its service model and answers
        // in the dialect's error form.
        Model jsonObject = api.addModel("JsonObjectBody", ModelOptions.builder()
                .contentType("application/json")
                .schema(JsonSchema.builder().type(JsonSchemaType.OBJECT).build())
                .build());
        requestModels = JSON_CONTENT_TYPES.stream()
                .collect(Collectors.toMap(type -> type, type -> jsonObject));

        Map<String, Set<Integer>> stacksByPath = new java.util.TreeMap<>();
        int group = 0;
        for (List<Route> routes : routesByStack) {
            for (Route route : routes) {
                for (String path : ancestors(route.path())) {
                    stacksByPath.computeIfAbsent(path, p -> new java.util.HashSet<>()).add(group);
                }
            }
            group++;
        }
        stacksByPath.forEach((path, stacks) -> {
            if (stacks.size() > 1) {
                sharedResources.put(path, api.getRoot().resourceForPath(path));
            }
        });

        Nag.suppress(api, "COG4", "Every method uses AWS_IAM (SigV4), as the AWS APIs Intake mirrors do;"
                + " callers are IAM principals, not Cognito users");
        Nag.suppress(api, "APIG3", "Every method requires SigV4-signed requests of IAM principals and the stage is"
                + " throttled; attach a WAF web ACL where the account's policy asks for one");
        Nag.suppress(api, "IAM4", "The account-level API Gateway logging role uses the AWS-managed"
                + " AmazonAPIGatewayPushToCloudWatchLogs policy, which only writes CloudWatch Logs",
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"));
    }

    /**
     * The route's method, on a resource of {@code scope}'s stack, integrated with the function's
     * {@code live} alias, which API Gateway may invoke through this method of the stage only.
     */
    void addRoute(Construct scope, Route route, IntakeFunction fn) {
        // The proxy integration LambdaIntegration makes, without its permission: that one names the
        // stage by reference, and the stage's deployment depends on the method's stack (a cycle).
        Integration integration = AwsIntegration.Builder.create()
                .proxy(true)
                .service("lambda")
                .path("2015-03-31/functions/" + fn.live.getFunctionArn() + "/invocations")
                .build();
        Method method = resource(scope, route.path()).addMethod(route.method(), integration, MethodOptions.builder()
                .authorizationType(AuthorizationType.IAM)
                .requestValidator(validator)
                .requestModels(BODY_METHODS.contains(route.method()) ? requestModels : null)
                .build());
        fn.live.addPermission("ApiPermission", Permission.builder()
                .principal(new ServicePrincipal("apigateway.amazonaws.com"))
                .action("lambda:InvokeFunction")
                .sourceArn(api.arnForExecuteApi(route.method(), route.path().replaceAll("\\{[^}]*}", "*"), STAGE))
                .build());
        if (Stack.of(scope) != Stack.of(this)) {
            Nag.suppress(method, "COG4", "Every method uses AWS_IAM (SigV4), as the AWS APIs Intake mirrors do;"
                    + " callers are IAM principals, not Cognito users");
        }
    }

    /** The resource of the path in the scope's stack: made there, or imported from the parent. */
    private IResource resource(Construct scope, String path) {
        Stack stack = Stack.of(scope);
        if (stack == Stack.of(this)) {
            return path.isEmpty() ? api.getRoot() : api.getRoot().resourceForPath(path);
        }
        Map<String, IResource> resources = resourcesByStack.computeIfAbsent(stack, s -> new HashMap<>());
        IResource found = resources.get(path);
        if (found != null) {
            return found;
        }
        IResource made;
        if (path.isEmpty() || sharedResources.containsKey(path)) {
            String resourceId = path.isEmpty() ? api.getRestApiRootResourceId() : sharedResources.get(path).getResourceId();
            made = Resource.fromResourceAttributes(stack, "ApiResource" + (path.isEmpty() ? "Root"
                            : path.replaceAll("[^A-Za-z0-9]", "")),
                    ResourceAttributes.builder().restApi(api).resourceId(resourceId).path(path.isEmpty() ? "/" : path).build());
        } else {
            int slash = path.lastIndexOf('/');
            made = resource(scope, path.substring(0, slash)).addResource(path.substring(slash + 1));
        }
        resources.put(path, made);
        return made;
    }

    /** "/a/b/c" to "/a", "/a/b", "/a/b/c". */
    private static List<String> ancestors(String path) {
        List<String> paths = new ArrayList<>();
        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
            paths.add(path.substring(0, slash));
        }
        paths.add(path);
        return paths;
    }
}
