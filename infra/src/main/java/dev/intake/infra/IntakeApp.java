package dev.intake.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app (cdk.json runs it from the repository root). The stack is environment-agnostic, so
 * {@code cdk synth} needs no AWS account; cdk-nag's AwsSolutions checks run on every synth and any
 * unsuppressed finding of level error fails it.
 */
public final class IntakeApp {
    private IntakeApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        addTo(app, IntakeSources.fromWorkingDirectory());
        app.synth();
    }

    /** The stack, with the AwsSolutions checks applied to the whole app (as the tests see it too). */
    public static IntakeStack addTo(App app, IntakeSources sources) {
        IntakeStack stack = new IntakeStack(app, "IntakeStack", StackProps.builder()
                .description("Intake: serverless dataset imports speaking the AWS import-job APIs")
                .build(), sources);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }
}
