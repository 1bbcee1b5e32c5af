package dev.intake.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Lambda function of the shared jar: its own role (no managed policies; grants are added by the
 * stack), its own log group, SnapStart, and the alias {@code live} that callers use, because
 * SnapStart applies only to published versions.
 */
final class IntakeFunction extends Construct {
    /** Memory and timeout; the API's 29 s is API Gateway's integration limit. */
    record Size(int memoryMb, Duration timeout) {
        static final Size API = new Size(1024, Duration.seconds(29));
        static final Size BOOKKEEPING = new Size(1024, Duration.seconds(60));
        static final Size INGEST = new Size(2048, Duration.minutes(15));
    }

    final Role role;
    final Function function;
    final Alias live;

    IntakeFunction(Construct scope, String id, Code code, String handler, String description, Size size,
                   Map<String, String> environment) {
        super(scope, id);
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs " + handler)
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                // Operational logs with a retention limit; nothing in them must outlive the stack.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        logs.grantWrite(role);
        function = Function.Builder.create(this, "Function")
                .description(description)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(code)
                .handler(handler)
                .memorySize(size.memoryMb())
                .timeout(size.timeout())
                .role(role)
                .logGroup(logs)
                .tracing(Tracing.ACTIVE)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .environment(environment)
                .build();
        live = Alias.Builder.create(this, "Live")
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The alias live points at the published current version");
        Nag.suppress(role, "IAM5", "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level"
                + " permissions", List.of("Resource::*"));
        Nag.suppress(function, "L1", "Java 21 is the runtime Intake targets: the shaded jar is compiled for Java 17"
                + " bytecode and runs on 21; a newer runtime is adopted with a release, not by the linter");
    }
}
