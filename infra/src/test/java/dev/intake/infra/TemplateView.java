package dev.intake.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awscdk.NestedStack;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Reads the synthesized app the way the tests ask about it: by handler, role, API path. The
 * template is the whole app as one: the parent stack's resources and those of each nested stack,
 * each nested {@code {"Ref": parameter}} replaced by the value the parent passes for it, and each
 * parent {@code {"Fn::GetAtt": [nested, "Outputs.X"]}} by the nested output's value; so a policy
 * in a nested stack names the parent's table as {@code <GetAtt:TablesControl....Arn>}, as before.
 */
final class TemplateView {
    final JsonNode template;
    /** Each stack's own template as synthesized (parent first), by stack path. */
    final Map<String, JsonNode> stacks;

    TemplateView(JsonNode template) {
        this(template, Map.of("", template));
    }

    private TemplateView(JsonNode template, Map<String, JsonNode> stacks) {
        this.template = template;
        this.stacks = stacks;
    }

    /** The stack and its nested stacks, merged (see the class comment). */
    static TemplateView of(Stack stack) {
        ObjectNode parent = SynthesizedIntake.MAPPER.valueToTree(Template.fromStack(stack).toJSON());
        Map<String, JsonNode> stacks = new LinkedHashMap<>();
        stacks.put(stack.getNode().getPath(), parent.deepCopy());
        ObjectNode merged = parent.deepCopy();
        Map<String, JsonNode> nestedOutputs = new HashMap<>(); // "<resource id>/Outputs.X" to its value
        List<NestedStack> nestedStacks = stack.getNode().findAll().stream()
                .filter(NestedStack::isNestedStack).map(NestedStack.class::cast).toList();
        for (NestedStack nested : nestedStacks) {
            JsonNode own = SynthesizedIntake.MAPPER.valueToTree(Template.fromStack(nested).toJSON());
            stacks.put(nested.getNode().getPath(), own);
            String resourceId = stack.getLogicalId(nested.getNestedStackResource());
            JsonNode parameters = parent.path("Resources").path(resourceId).path("Properties").path("Parameters");
            JsonNode resolved = substitute(own, node -> {
                String ref = node.path("Ref").asText(null);
                return node.size() == 1 && ref != null && parameters.has(ref) ? parameters.get(ref) : null;
            });
            resolved.path("Resources").properties().forEach(e -> {
                if (merged.path("Resources").has(e.getKey())) {
                    throw new AssertionError("logical id " + e.getKey() + " is in two stacks");
                }
                ((ObjectNode) merged.path("Resources")).set(e.getKey(), e.getValue());
            });
            resolved.path("Outputs").properties().forEach(e ->
                    nestedOutputs.put(resourceId + "/Outputs." + e.getKey(), e.getValue().path("Value")));
        }
        JsonNode whole = substitute(merged, node -> {
            JsonNode getAtt = node.path("Fn::GetAtt");
            return node.size() == 1 && getAtt.isArray()
                    ? nestedOutputs.get(getAtt.path(0).asText() + "/" + getAtt.path(1).asText()) : null;
        });
        return new TemplateView(whole, stacks);
    }

    /** A copy of the node with every object the replacement answers for replaced by its answer. */
    private static JsonNode substitute(JsonNode node, Function<JsonNode, JsonNode> replacement) {
        if (node.isObject()) {
            JsonNode replaced = replacement.apply(node);
            if (replaced != null) {
                return replaced.deepCopy();
            }
            ObjectNode copy = SynthesizedIntake.MAPPER.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), replacement)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = SynthesizedIntake.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(substitute(element, replacement)));
            return copy;
        }
        return node;
    }

    /** Logical id to resource, for one resource type. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        template.path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    JsonNode resource(String logicalId) {
        JsonNode resource = template.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new AssertionError("no resource " + logicalId);
        }
        return resource;
    }

    /** The functions that run Intake's own handlers (not CDK's helper functions). */
    Map<String, JsonNode> intakeFunctions() {
        Map<String, JsonNode> functions = resources("AWS::Lambda::Function");
        functions.values().removeIf(fn -> !fn.path("Properties").path("Handler").asText().startsWith("dev.intake."));
        return functions;
    }

    String functionIdByHandler(String handler) {
        List<String> ids = new ArrayList<>();
        intakeFunctions().forEach((id, fn) -> {
            if (fn.path("Properties").path("Handler").asText().equals(handler)) {
                ids.add(id);
            }
        });
        if (ids.size() != 1) {
            throw new AssertionError("expected one function with handler " + handler + ", found " + ids);
        }
        return ids.get(0);
    }

    JsonNode functionProperties(String handler) {
        return resource(functionIdByHandler(handler)).path("Properties");
    }

    /** The logical id of the function's alias "live". */
    String liveAliasOf(String functionId) {
        List<String> ids = new ArrayList<>();
        resources("AWS::Lambda::Alias").forEach((id, alias) -> {
            JsonNode p = alias.path("Properties");
            if (p.path("Name").asText().equals("live") && p.path("FunctionName").path("Ref").asText().equals(functionId)) {
                ids.add(id);
            }
        });
        if (ids.size() != 1) {
            throw new AssertionError("expected one alias live of " + functionId + ", found " + ids);
        }
        return ids.get(0);
    }

    /** Every statement of every policy attached to the role the function runs as. */
    List<JsonNode> statementsOf(String functionId) {
        String roleId = resource(functionId).path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();
        return statementsOfRole(roleId);
    }

    List<JsonNode> statementsOfRole(String roleId) {
        List<JsonNode> statements = new ArrayList<>();
        resources("AWS::IAM::Policy").values().forEach(policy -> {
            for (JsonNode role : policy.path("Properties").path("Roles")) {
                if (role.path("Ref").asText().equals(roleId)) {
                    policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
                }
            }
        });
        resource(roleId).path("Properties").path("Policies")
                .forEach(p -> p.path("PolicyDocument").path("Statement").forEach(statements::add));
        return statements;
    }

    static List<String> actionsOf(JsonNode statement) {
        List<String> actions = new ArrayList<>();
        JsonNode action = statement.path("Action");
        if (action.isArray()) {
            action.forEach(a -> actions.add(a.asText()));
        } else {
            actions.add(action.asText());
        }
        return actions;
    }

    static List<JsonNode> resourcesOf(JsonNode statement) {
        List<JsonNode> resources = new ArrayList<>();
        JsonNode resource = statement.path("Resource");
        if (resource.isArray()) {
            resource.forEach(resources::add);
        } else {
            resources.add(resource);
        }
        return resources;
    }

    /** The full path of an API Gateway resource, rebuilt from its PathPart and parents. */
    String apiPathOf(JsonNode resourceId) {
        if (resourceId.has("Fn::GetAtt")) {
            return ""; // the API's root resource
        }
        JsonNode resource = resource(resourceId.path("Ref").asText()).path("Properties");
        return apiPathOf(resource.path("ParentId")) + "/" + resource.path("PathPart").asText();
    }

    /** Concatenates the literal pieces of an Fn::Join, writing references as <Ref:id> and <GetAtt:id.attr>. */
    static String joined(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            return "<Ref:" + value.path("Ref").asText() + ">";
        }
        if (value.has("Fn::GetAtt")) {
            return "<GetAtt:" + value.path("Fn::GetAtt").path(0).asText() + "." + value.path("Fn::GetAtt").path(1).asText()
                    + ">";
        }
        if (value.has("Fn::Join")) {
            StringBuilder out = new StringBuilder();
            String separator = value.path("Fn::Join").path(0).asText();
            JsonNode parts = value.path("Fn::Join").path(1);
            for (int i = 0; i < parts.size(); i++) {
                out.append(i == 0 ? "" : separator).append(joined(parts.get(i)));
            }
            return out.toString();
        }
        return value.toString();
    }
}
