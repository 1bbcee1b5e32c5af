package dev.intake.infra;

import dev.intake.api.Dialect;
import dev.intake.api.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.NestedStack;
import software.amazon.awscdk.NestedStackProps;
import software.constructs.Construct;

/**
 * A nested stack of API operations: for each of its routes the function, its grants, its errors
 * alarm and its API method. CloudFormation allows 500 resources per stack and a route costs about
 * ten (function, role, policy, log group, version, alias, alarm, API resource, method, permission),
 * so the operations live here, one stack per dialect and at most {@value #MAX_ROUTES} routes each,
 * while the parent {@link IntakeStack} keeps what they share (tables, buckets, state machines,
 * schedules, the API and its stage, the alarm topic and dashboard). CDK passes the parent's values
 * as parameters of this stack.
 */
final class OperationsStack extends NestedStack {
    /** About 400 resources: headroom under CloudFormation's 500 for a few more per route later. */
    static final int MAX_ROUTES = 40;

    /** Makes a route's function in the operations stack given, with its environment and grants. */
    interface Operation {
        IntakeFunction function(Construct scope, Route route);
    }

    final Dialect dialect;
    final List<Route> routes;
    final Map<Route, IntakeFunction> functions = new LinkedHashMap<>();

    private OperationsStack(Construct scope, String id, Dialect dialect, List<Route> routes) {
        super(scope, id, NestedStackProps.builder()
                .description("Intake: the " + dialect.pathSegment() + " API operations " + routes.get(0).operation()
                        + " to " + routes.get(routes.size() - 1).operation())
                .build());
        this.dialect = dialect;
        this.routes = List.copyOf(routes);
    }

    /**
     * The routes as their stacks will hold them: by dialect, in route order, at most
     * {@value #MAX_ROUTES} each. A route appended to its dialect goes into the dialect's last stack,
     * or a new one when that is full, so no deployed function moves to another stack.
     */
    static Map<String, List<Route>> plan(List<Route> all) {
        Map<Dialect, List<Route>> byDialect = new LinkedHashMap<>();
        for (Route route : all) {
            byDialect.computeIfAbsent(route.dialect(), d -> new ArrayList<>()).add(route);
        }
        Map<String, List<Route>> plan = new LinkedHashMap<>();
        byDialect.forEach((dialect, routes) -> {
            for (int from = 0, part = 1; from < routes.size(); from += MAX_ROUTES, part++) {
                plan.put(idOf(dialect, part), routes.subList(from, Math.min(routes.size(), from + MAX_ROUTES)));
            }
        });
        return plan;
    }

    /** e.g. PersonalizeOperations, then PersonalizeOperations2 for the dialect's 41st to 80th route. */
    static String idOf(Dialect dialect, int part) {
        String name = dialect.pathSegment();
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1) + "Operations" + (part == 1 ? "" : part);
    }

    /** Makes the planned stacks, each route's function by {@code operation}, alarmed and on the API. */
    static List<OperationsStack> make(Construct scope, Map<String, List<Route>> plan, Operation operation,
                                      Monitoring monitoring, IntakeApi api) {
        List<OperationsStack> stacks = new ArrayList<>();
        plan.forEach((id, routes) -> {
            OperationsStack stack = new OperationsStack(scope, id, routes.get(0).dialect(), routes);
            Construct alarms = new Construct(stack, "Monitoring");
            for (Route route : routes) {
                IntakeFunction fn = operation.function(stack, route);
                stack.functions.put(route, fn);
                monitoring.errorsAlarm(alarms, IntakeStack.functionId(route), fn);
                api.addRoute(stack, route, fn);
            }
            stacks.add(stack);
        });
        return stacks;
    }
}
