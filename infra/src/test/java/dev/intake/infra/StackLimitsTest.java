package dev.intake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Dialect;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.StackProps;

/**
 * CloudFormation allows 500 resources per stack: the operations are split into nested stacks, one
 * or more per dialect, and every stack stays under 450 so that a few more routes still fit.
 */
class StackLimitsTest {
    /** CloudFormation's 500, less headroom for what a change adds before the tests catch it. */
    private static final int MAX_RESOURCES = 450;
    /** CloudFormation's 200 parameters and 200 outputs, less headroom likewise. */
    private static final int MAX_PARAMETERS_OR_OUTPUTS = 150;

    private final SynthesizedIntake intake = SynthesizedIntake.get();

    @Test
    void everyStackHoldsAtMost450Resources() {
        assertThat(intake.view.stacks).hasSize(1 + intake.stack.operationStacks.size());
        intake.view.stacks.forEach(StackLimitsTest::assertFits);
    }

    /** Within the limits, with headroom; a nested stack's outputs are what the dashboard shows. */
    private static void assertFits(String stack, JsonNode template) {
        assertThat(template.path("Resources").size()).as(stack).isBetween(1, MAX_RESOURCES);
        assertThat(template.path("Parameters").size()).as(stack).isLessThanOrEqualTo(MAX_PARAMETERS_OR_OUTPUTS);
        assertThat(template.path("Outputs").size()).as(stack).isLessThanOrEqualTo(MAX_PARAMETERS_OR_OUTPUTS);
    }

    @Test
    void eachDialectsOperationsAreANestedStackOfTheirOwnAndTheParentHoldsNone() {
        Set<Dialect> dialects = new LinkedHashSet<>();
        Routes.ALL.forEach(r -> dialects.add(r.dialect()));
        assertThat(intake.stack.operationStacks).extracting(s -> s.getNode().getId())
                .containsExactlyElementsOf(dialects.stream().map(d -> OperationsStack.idOf(d, 1)).toList());
        List<Route> all = new ArrayList<>();
        for (OperationsStack stack : intake.stack.operationStacks) {
            assertThat(stack.routes).allMatch(r -> r.dialect() == stack.dialect).hasSizeLessThanOrEqualTo(40);
            all.addAll(stack.routes);
            JsonNode template = intake.view.stacks.get(stack.getNode().getPath());
            assertThat(handlers(template)).as(stack.getNode().getId())
                    .isEqualTo(new TreeSet<>(stack.routes.stream().map(Route::lambdaHandler).toList()));
            assertThat(count(template, "AWS::ApiGateway::Method")).isEqualTo(stack.routes.size());
            assertThat(count(template, "AWS::CloudWatch::Alarm")).isEqualTo(stack.routes.size());
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(Routes.ALL);
        JsonNode parent = intake.view.stacks.get(intake.stack.getNode().getPath());
        assertThat(handlers(parent)).doesNotContainAnyElementsOf(Routes.ALL.stream().map(Route::lambdaHandler).toList());
        assertThat(count(parent, "AWS::ApiGateway::Method")).isZero();
        assertThat(count(parent, "AWS::CloudFormation::Stack")).isEqualTo(intake.stack.operationStacks.size());
    }

    /**
     * Forty more routes of one dialect: it takes a second stack, the path both share is made once,
     * in the parent, and every stack still fits.
     */
    @Test
    void fortyMoreRoutesOfADialectTakeASecondStackAndEveryStackStillFits() {
        List<Route> routes = new ArrayList<>(Routes.ALL);
        Route model = Routes.ALL.stream().filter(r -> r.dialect() == Dialect.FORECAST).findFirst().orElseThrow();
        for (int i = 1; i <= 40; i++) {
            routes.add(new Route(Dialect.FORECAST, "Extra" + i, "POST", "/forecast/Extra" + i, model.handlerClass(),
                    model.permissions()));
        }
        var app = SynthesizedIntake.newApp("forty-more");
        IntakeStack stack = new IntakeStack(app, "IntakeStack", StackProps.builder().build(), SynthesizedIntake.SOURCES,
                routes);
        TemplateView view = TemplateView.of(stack);

        long forecast = routes.stream().filter(r -> r.dialect() == Dialect.FORECAST).count();
        assertThat(stack.operationStacks).filteredOn(s -> s.dialect == Dialect.FORECAST)
                .extracting(s -> s.getNode().getId() + ":" + s.routes.size())
                .containsExactly("ForecastOperations:40", "ForecastOperations2:" + (forecast - 40));
        view.stacks.forEach(StackLimitsTest::assertFits);
        // API Gateway allows one resource per path: /forecast is the parent's, under the API's root.
        List<String> forecastResources = new ArrayList<>();
        view.stacks.forEach((name, template) -> template.path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::ApiGateway::Resource")
                    && e.getValue().path("Properties").path("PathPart").asText().equals("forecast")) {
                forecastResources.add(name);
            }
        }));
        assertThat(forecastResources).containsExactly(stack.getNode().getPath());
        Map<String, JsonNode> methods = view.resources("AWS::ApiGateway::Method");
        assertThat(methods).hasSize(routes.size());
        assertThat(methods.values().stream().map(m -> view.apiPathOf(m.path("Properties").path("ResourceId"))).toList())
                .containsExactlyInAnyOrderElementsOf(routes.stream().map(Route::path).toList());
    }

    @Test
    void aDialectIsSplitInRouteOrderAtFortyRoutes() {
        Route model = Routes.ALL.get(0);
        List<Route> routes = new ArrayList<>();
        for (int i = 1; i <= 85; i++) {
            routes.add(new Route(model.dialect(), "Op" + i, "POST", "/x/Op" + i, model.handlerClass(), model.permissions()));
        }
        Map<String, List<Route>> plan = OperationsStack.plan(routes);
        String id = OperationsStack.idOf(model.dialect(), 1);
        assertThat(plan.keySet()).containsExactly(id, id + "2", id + "3");
        assertThat(plan.get(id)).containsExactlyElementsOf(routes.subList(0, 40));
        assertThat(plan.get(id + "2")).containsExactlyElementsOf(routes.subList(40, 80));
        assertThat(plan.get(id + "3")).containsExactlyElementsOf(routes.subList(80, 85));
    }

    /** Lookout for Equipment's ten operations are a nested stack of their own, one method each under /lookoutequipment. */
    @Test
    void lookoutForEquipmentIsANestedStackOfItsOwn() {
        OperationsStack lookout = intake.stack.operationStacks.stream().filter(s -> s.dialect == Dialect.LOOKOUTEQUIPMENT)
                .findFirst().orElseThrow();
        assertThat(lookout.getNode().getId()).isEqualTo("LookoutequipmentOperations");
        assertThat(lookout.routes).extracting(Route::operation).containsExactly("CreateDataset", "DescribeDataset",
                "ListDatasets", "DeleteDataset", "StartDataIngestionJob", "DescribeDataIngestionJob", "ListDataIngestionJobs",
                "TagResource", "UntagResource", "ListTagsForResource");
        assertThat(lookout.routes).allMatch(r -> r.path().equals("/lookoutequipment/" + r.operation())
                && r.target().equals("AWSLookoutEquipmentFrontendService." + r.operation()));
        JsonNode template = intake.view.stacks.get(lookout.getNode().getPath());
        assertThat(count(template, "AWS::ApiGateway::Method")).isEqualTo(10);
        assertFits(lookout.getNode().getPath(), template);
    }

    private static Set<String> handlers(JsonNode template) {
        Set<String> handlers = new TreeSet<>();
        template.path("Resources").forEach(r -> {
            String handler = r.path("Properties").path("Handler").asText();
            if (r.path("Type").asText().equals("AWS::Lambda::Function") && handler.startsWith("dev.intake.")) {
                handlers.add(handler);
            }
        });
        return handlers;
    }

    private static long count(JsonNode template, String type) {
        List<JsonNode> found = new ArrayList<>();
        template.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals(type)) {
                found.add(r);
            }
        });
        return found.size();
    }
}
