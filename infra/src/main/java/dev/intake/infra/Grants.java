package dev.intake.infra;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.CONTROL_WRITE;
import static dev.intake.app.Permission.MANAGE_SCHEDULES;
import static dev.intake.app.Permission.READ_SOURCES;
import static dev.intake.app.Permission.RECORDS_DELETE;
import static dev.intake.app.Permission.RECORDS_READ;
import static dev.intake.app.Permission.RECORDS_WRITE;
import static dev.intake.app.Permission.REPORTS_WRITE;
import static dev.intake.app.Permission.SIGNING_KEY_CREATE;
import static dev.intake.app.Permission.START_DELETIONS;
import static dev.intake.app.Permission.START_IMPORTS;
import static dev.intake.app.Permission.WORK_FILES_DELETE;
import static dev.intake.app.Permission.WORK_FILES_READ;
import static dev.intake.app.Permission.WORK_FILES_WRITE;

import dev.intake.adapters.dynamodb.DynamoSigningKeys;
import dev.intake.app.Permission;
import dev.intake.core.ImportWorkflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.stepfunctions.StateMachine;

/**
 * Turns the {@link Permission}s a route or task declares into its role's policy: those actions, on
 * those resources, and nothing else (DynamoDB's per-table read and write actions as the adapters
 * call them, not grantReadWriteData's every action).
 */
final class Grants {
    static final List<String> CONTROL_READ_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:Query");
    static final List<String> CONTROL_WRITE_ACTIONS = List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    static final List<String> RECORDS_READ_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query");
    static final List<String> RECORDS_WRITE_ACTIONS = List.of("dynamodb:PutItem");
    static final List<String> RECORDS_DELETE_ACTIONS = List.of("dynamodb:BatchWriteItem");
    /** Control-table partition of deployment-wide settings (the page-token signing key). */
    static final String CONFIG_PARTITION = DynamoSigningKeys.PARTITION;
    static final String WORK = ImportWorkflow.WORK;
    static final String MANIFESTS = dev.intake.core.ChunkManifest.PREFIX;
    static final List<String> REPORT_PREFIXES = List.of(ImportWorkflow.ERROR_REPORTS, ImportWorkflow.STATISTICS);

    private final Stack stack;
    private final DataTables tables;
    private final Buckets buckets;
    private final ImportSettings imports;
    private SourceScheduling scheduling;
    /** What START_EXPORTS starts (the export state machine), once it exists. */
    private StateMachine exports;

    Grants(Stack stack, DataTables tables, Buckets buckets, ImportSettings imports) {
        this.stack = stack;
        this.tables = tables;
        this.buckets = buckets;
        this.imports = imports;
    }

    /** The export state machine, which START_EXPORTS grants on. */
    void exports(StateMachine machine) {
        this.exports = machine;
    }

    /** The data sources' schedule group and scheduler role, which MANAGE_SCHEDULES grants on. */
    void sourceScheduling(SourceScheduling scheduling) {
        this.scheduling = scheduling;
    }

    /**
     * @param imports   what START_IMPORTS starts; null where it does not exist yet (the tasks it
     *                  runs, which must not start imports)
     * @param deletions what START_DELETIONS starts; null likewise
     */
    void apply(Set<Permission> permissions, IntakeFunction fn, StateMachine imports, StateMachine deletions) {
        tables(permissions, fn);
        results(permissions, fn);
        if (permissions.contains(READ_SOURCES)) {
            sources(fn);
        }
        if (permissions.contains(START_IMPORTS)) {
            startExecutions(fn, imports, "imports");
        }
        if (permissions.contains(START_DELETIONS)) {
            startExecutions(fn, deletions, "deletions");
        }
        if (permissions.contains(MANAGE_SCHEDULES)) {
            manageSchedules(fn);
        }
        if (permissions.contains(Permission.STOP_IMPORTS)) {
            stopExecutions(fn, imports);
        }
        if (permissions.contains(Permission.START_EXPORTS)) {
            startExecutions(fn, exports, "exports");
        }
        if (permissions.contains(Permission.WRITE_EXPORTS) && !this.imports.roleArns.isEmpty()) {
            // An export always names a role, and writes as it (in a session that may only put objects
            // under its folder): the function itself writes nothing to S3. Only the listed roles.
            allow(fn, List.of("sts:AssumeRole"), this.imports.roleArns);
        }
    }

    /** StopExecution of the import state machine's executions only (named {@code <job>.<attempt>}). */
    private void stopExecutions(IntakeFunction fn, StateMachine machine) {
        if (machine == null) {
            throw new IllegalArgumentException(fn.getNode().getId() + " cannot stop imports: the state machine runs it");
        }
        allow(fn, List.of("states:StopExecution"), List.of(software.amazon.awscdk.Stack.of(fn).formatArn(
                software.amazon.awscdk.ArnComponents.builder().service("states").resource("execution")
                        .resourceName(machine.getStateMachineName() + ":*")
                        .arnFormat(software.amazon.awscdk.ArnFormat.COLON_RESOURCE_NAME).build())));
        Nag.suppress(fn.role, "IAM5", "StopExecution of the import state machine's executions only: a stopped job's"
                + " execution is named <job>.<attempt>", findings(fn,
                "Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:",
                (CfnElement) machine.getNode().getDefaultChild(), "Name", ":*"));
    }

    /**
     * The schedules of Intake's group only, and passing the scheduler's role to Scheduler only (it
     * needs that to make a schedule that invokes as the role).
     */
    private void manageSchedules(IntakeFunction fn) {
        if (scheduling == null) {
            throw new IllegalStateException(fn.getNode().getId() + " manages schedules, but the stack has no schedule group");
        }
        allow(fn, List.of("scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule",
                "scheduler:GetSchedule"), List.of(scheduling.schedulesArn()));
        fn.role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(scheduling.schedulerRole.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "scheduler.amazonaws.com")))
                .build());
        Nag.suppress(fn.role, "IAM5", "The data sources' schedules are made at run time, one per source, named after"
                + " it: this role may manage the schedules of Intake's own schedule group and no other", findings(fn,
                "Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/",
                scheduling.group, null, "/*"));
    }

    /** StartExecution on the machine, and DescribeExecution of its executions (looked up by name). */
    private void startExecutions(IntakeFunction fn, StateMachine machine, String what) {
        if (machine == null) {
            throw new IllegalArgumentException(fn.getNode().getId() + " cannot start " + what + ": the state machine runs it");
        }
        machine.grantStartExecution(fn.role);
        allow(fn, List.of("states:DescribeExecution"), List.of(software.amazon.awscdk.Stack.of(fn).formatArn(
                software.amazon.awscdk.ArnComponents.builder().service("states").resource("execution")
                        .resourceName(machine.getStateMachineName() + ":*")
                        .arnFormat(software.amazon.awscdk.ArnFormat.COLON_RESOURCE_NAME).build())));
        Nag.suppress(fn.role, "IAM5", "DescribeExecution of one Intake state machine's executions only: its executions"
                + " are named <job or dataset>.<attempt> and looked up by name", findings(fn,
                "Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:",
                (CfnElement) machine.getNode().getDefaultChild(), "Name", ":*"));
    }

    private void tables(Set<Permission> permissions, IntakeFunction fn) {
        List<String> control = new ArrayList<>();
        if (permissions.contains(CONTROL_READ)) {
            control.addAll(CONTROL_READ_ACTIONS);
        }
        if (permissions.contains(CONTROL_WRITE)) {
            control.addAll(CONTROL_WRITE_ACTIONS);
        }
        allow(fn, control, List.of(tables.control.getTableArn()));
        if (permissions.contains(SIGNING_KEY_CREATE) && !permissions.contains(CONTROL_WRITE)) {
            // Listing issues NextTokens; their signing key is made once per deployment by whichever
            // paging call comes first (DynamoSigningKeys), so it may put that one item and nothing else.
            fn.role.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("dynamodb:PutItem"))
                    .resources(List.of(tables.control.getTableArn()))
                    .conditions(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of(CONFIG_PARTITION))))
                    .build());
        }
        List<String> records = new ArrayList<>();
        if (permissions.contains(RECORDS_READ)) {
            records.addAll(RECORDS_READ_ACTIONS);
        }
        if (permissions.contains(RECORDS_WRITE)) {
            records.addAll(RECORDS_WRITE_ACTIONS);
        }
        if (permissions.contains(RECORDS_DELETE)) {
            records.addAll(RECORDS_DELETE_ACTIONS);
        }
        allow(fn, records, List.of(tables.records.getTableArn()));
    }

    /** The results bucket: working files under work/, reports under error-reports/ and statistics/. */
    private void results(Set<Permission> permissions, IntakeFunction fn) {
        List<String> wildcards = new ArrayList<>();
        List<String> work = new ArrayList<>();
        if (permissions.contains(WORK_FILES_READ)) {
            work.add("s3:GetObject");
        }
        if (permissions.contains(WORK_FILES_WRITE)) {
            work.add("s3:PutObject");
        }
        if (permissions.contains(WORK_FILES_DELETE)) {
            work.add("s3:DeleteObject");
        }
        if (!work.isEmpty()) {
            allow(fn, work, List.of(buckets.results.arnForObjects(WORK + "*")));
            wildcards.addAll(resultsFindings(fn, WORK));
        }
        if (permissions.contains(WORK_FILES_DELETE)) {
            // Deleting a job's working files lists them first, and lists nothing else.
            fn.role.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of(buckets.results.getBucketArn()))
                    .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(WORK + "*"))))
                    .build());
        }
        if (permissions.contains(REPORTS_WRITE)) {
            allow(fn, List.of("s3:PutObject"), REPORT_PREFIXES.stream().map(p -> buckets.results.arnForObjects(p + "*")).toList());
            REPORT_PREFIXES.forEach(p -> wildcards.addAll(resultsFindings(fn, p)));
        }
        if (permissions.contains(Permission.MANIFESTS_WRITE)) {
            allow(fn, List.of("s3:PutObject"), List.of(buckets.results.arnForObjects(MANIFESTS + "*")));
            wildcards.addAll(resultsFindings(fn, MANIFESTS));
        }
        if (!wildcards.isEmpty()) {
            Nag.suppress(fn.role, "IAM5", "Working files and reports are named per job in the results bucket; this role"
                    + " may touch only the prefixes it uses there (work/ for working files, error-reports/ and"
                    + " statistics/ for reports, manifests/ for the chunk lists the state machine reads), with the"
                    + " actions it uses", wildcards);
        }
    }

    /**
     * The import sources (context importSources): objects under each one, listing only under each
     * one, and (context importRoleArns) assuming exactly the listed roles; no statement at all for
     * roles when none is listed.
     */
    private void sources(IntakeFunction fn) {
        Bucket landing = buckets.landing;
        List<String> objects = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        Map<String, List<ImportSettings.Source>> byBucket = new LinkedHashMap<>();
        for (ImportSettings.Source source : imports.sources) {
            if (source.landing()) {
                objects.add(landing.arnForObjects(source.prefix() + "*"));
                findings.addAll(findings(fn, "Resource::", cfn(landing), "Arn", "/" + source.prefix() + "*"));
            } else {
                objects.add(source.bucketArn(landing) + "/" + source.prefix() + "*");
                findings.add("Resource::arn:<AWS::Partition>:s3:::" + source.bucket() + "/" + source.prefix() + "*");
            }
            byBucket.computeIfAbsent(source.landing() ? ImportSettings.LANDING : source.bucket(), b -> new ArrayList<>())
                    .add(source);
        }
        allow(fn, List.of("s3:GetObject"), objects);
        byBucket.values().forEach(sources -> {
            var list = PolicyStatement.Builder.create()
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of(sources.get(0).bucketArn(landing)));
            if (sources.stream().noneMatch(s -> s.prefix().isEmpty())) {
                list.conditions(Map.of("StringLike", Map.of("s3:prefix", sources.stream().map(s -> s.prefix() + "*").toList())));
            }
            fn.role.addToPolicy(list.build());
        });
        Nag.suppress(fn.role, "IAM5", "Imports read only the configured import sources (context importSources: "
                + String.join(", ", imports.sources.stream().map(ImportSettings.Source::describe).toList())
                + "), which the functions also check when a job is created; the objects under each are named by the"
                + " imports, so each object resource ends in a wildcard; s3:ListBucket is on those buckets only, with an"
                + " s3:prefix condition where a source is a folder", findings);
        if (!imports.roleArns.isEmpty()) {
            // A job with roleArn reads as that role; only the listed roles (context importRoleArns).
            allow(fn, List.of("sts:AssumeRole"), imports.roleArns);
        }
    }

    private static void allow(IntakeFunction fn, List<String> actions, List<String> resources) {
        if (actions.isEmpty()) {
            return;
        }
        fn.role.addToPolicy(PolicyStatement.Builder.create().actions(actions).resources(resources).build());
    }

    private List<String> resultsFindings(IntakeFunction fn, String prefix) {
        return findings(fn, "Resource::", cfn(buckets.results), "Arn", "/" + prefix + "*");
    }

    private static CfnElement cfn(Bucket bucket) {
        return (CfnElement) bucket.getNode().getDefaultChild();
    }

    /**
     * A cdk-nag finding that names an attribute ({@code null}: the Ref) of a resource of this stack in
     * the policy of {@code fn}: {@code <Id.Attribute>}; for a function of a nested stack, also as
     * {@code <Parameter>}, the parameter CDK passes it as (named "reference-to-", the target's unique
     * id, the attribute or "Ref"), since the checks see the nested template both before and after CDK
     * turns the cross-stack reference into that parameter.
     */
    private List<String> findings(IntakeFunction fn, String before, CfnElement target, String attribute, String after) {
        List<String> findings = new ArrayList<>();
        findings.add(before + "<" + stack.getLogicalId(target) + (attribute == null ? "" : "." + attribute) + ">" + after);
        if (Stack.of(fn) != stack) {
            findings.add(before + "<" + ("referenceto" + Names.nodeUniqueId(target.getNode())
                    + (attribute == null ? "Ref" : attribute)).replaceAll("[^A-Za-z0-9]", "") + ">" + after);
        }
        return findings;
    }
}
