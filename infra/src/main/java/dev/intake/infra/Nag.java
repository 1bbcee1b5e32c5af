package dev.intake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.constructs.IConstruct;

/** cdk-nag suppressions; each one says why the finding does not apply. */
final class Nag {
    private Nag() {
    }

    /** Suppresses rule {@code id} on the construct and its children. */
    static void suppress(IConstruct construct, String id, String reason) {
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id("AwsSolutions-" + id).reason(reason).build()), true);
    }

    /** Suppresses rule {@code id} only for the named findings (e.g. "Resource::*"). */
    static void suppress(IConstruct construct, String id, String reason, List<String> appliesTo) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-" + id).reason(reason).appliesTo(appliesTo).build()), true);
    }
}
