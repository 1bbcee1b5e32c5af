package dev.intake.infra;

import dev.intake.adapters.scheduler.EventBridgeSourceSchedules;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.CfnScheduleGroup;
import software.constructs.Construct;

/**
 * What the data sources' schedules need in AWS: the schedule group they are made in (at run time, by
 * the functions that manage data sources) and the role EventBridge Scheduler invokes their target
 * as, which may invoke the RunScheduledSource function's alias and nothing else.
 */
final class SourceScheduling extends Construct {
    final CfnScheduleGroup group;
    final Role schedulerRole;
    final IntakeFunction target;

    SourceScheduling(Construct scope, String id, IntakeFunction target) {
        super(scope, id);
        this.target = target;
        group = CfnScheduleGroup.Builder.create(this, "Group").build(); // named by CloudFormation
        schedulerRole = Role.Builder.create(this, "SchedulerRole")
                .description("EventBridge Scheduler runs Intake data sources' scheduled imports as this role")
                // Only Scheduler, and only for schedules of this account (no confused deputy).
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .build();
        schedulerRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(target.live.getFunctionArn()))
                .build());
    }

    /** The schedules this stack's functions may manage: every schedule of the group, and no other. */
    String schedulesArn() {
        return "arn:" + Aws.PARTITION + ":scheduler:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":schedule/" + group.getRef() + "/*";
    }

    /** The environment of a function that manages schedules (EventBridgeSourceSchedules.Settings). */
    void environment(Map<String, String> env) {
        env.put(EventBridgeSourceSchedules.Settings.GROUP_VARIABLE, group.getRef());
        env.put(EventBridgeSourceSchedules.Settings.TARGET_VARIABLE, target.live.getFunctionArn());
        env.put(EventBridgeSourceSchedules.Settings.ROLE_VARIABLE, schedulerRole.getRoleArn());
    }
}
