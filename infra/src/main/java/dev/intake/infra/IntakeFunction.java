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
 * One Lambda function, from the jar its handler needs (LambdaJars): its own role (no managed policies; grants are added by the
 * stack), its own log group, SnapStart, and the alias {@code live} that callers use, because
 * SnapStart applies only to published versions.
 */
final class IntakeFunction extends Construct {
    /**
     * Memory, timeout and JIT compilers; the API's 29 s is API Gateway's integration limit.
     *
     * @param javaToolOptions the JVM's JIT tiers: short-lived handlers stop at C1, which compiles fast
     *                        (SnapStart restores a warm JVM anyway); the steps that run every row of an
     *                        import (or of an export, or a deletion) for minutes get C2, which makes their
     *                        per-row loops several times faster. Lambda's Java 17 and 21 runtimes stop at
     *                        C1 unless told otherwise, so C2 is asked for explicitly (level 4).
     */
    record Size(int memoryMb, Duration timeout, String javaToolOptions) {
        static final String C1_ONLY = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
        static final String WITH_C2 = "-XX:+TieredCompilation -XX:TieredStopAtLevel=4";
        static final Size API = new Size(1024, Duration.seconds(29), C1_ONLY);
        static final Size BOOKKEEPING = new Size(1024, Duration.seconds(60), C1_ONLY);
        static final Size INGEST = new Size(2048, Duration.minutes(15), WITH_C2);
    }

    final Role role;
    final Function function;
    final Alias live;

    /** @param jars the function's code is the jar that {@link LambdaJars} decides for its handler */
    IntakeFunction(Construct scope, String id, LambdaJars jars, String handler, String description, Size size,
                   Map<String, String> environment) {
        super(scope, id);
        Code code = jars.code(this, handler);
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("JAVA_TOOL_OPTIONS", size.javaToolOptions());
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
                .environment(env)
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
