package dev.intake.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validates a definition strictly and builds the {@link State} model. Anything the local executor does not
 * implement is rejected here, naming the state, so that no field is ever silently ignored.
 */
final class DefinitionParser {
    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    private static final String JSONATA = "JSONata";
    private static final String JSONPATH = "JSONPath";
    private static final int MAX_NAME_LENGTH = 80;
    private static final int MAX_SECONDS = 99_999_999;
    private static final int MAX_DELAY_SECONDS = 31_622_400;
    private static final Pattern VARIABLE_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");
    private static final Pattern RESULT_REFERENCE = Pattern.compile("\\$states\\s*\\.\\s*result\\b");
    private static final Pattern ERROR_OUTPUT_REFERENCE = Pattern.compile("\\$states\\s*\\.\\s*errorOutput\\b");

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("StartAt", "States", "Comment", "Version", "QueryLanguage",
            "TimeoutSeconds");
    private static final Map<String, Set<String>> FIELDS_BY_TYPE = Map.of(
            "Task", commonAnd("Resource", "Arguments", "TimeoutSeconds", "Output", "Assign", "Retry", "Catch", "Next", "End"),
            "Pass", commonAnd("Output", "Assign", "Next", "End"),
            "Choice", commonAnd("Choices", "Default", "Output", "Assign"),
            "Wait", commonAnd("Seconds", "Timestamp", "Output", "Assign", "Next", "End"),
            "Succeed", commonAnd("Output"),
            "Fail", commonAnd("Error", "Cause"),
            "Map", commonAnd("ItemProcessor", "Items", "ItemSelector", "MaxConcurrency", "Output", "Assign", "Retry",
                    "Catch", "Next", "End", "ItemReader", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label"),
            "Parallel", commonAnd("Branches", "Arguments", "Output", "Assign", "Retry", "Catch", "Next", "End"));
    private static final Set<String> FIELDS_OF_SOME_TYPE = FIELDS_BY_TYPE.values().stream()
            .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> JSONPATH_FIELDS = Set.of("InputPath", "OutputPath", "Parameters", "ResultPath",
            "ResultSelector", "Result", "ItemsPath", "MaxConcurrencyPath", "SecondsPath", "TimestampPath", "ErrorPath",
            "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath");
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "Output", "Assign", "Comment");
    private static final Set<String> CHOICE_RULE_FIELDS = Set.of("Condition", "Next", "Output", "Assign", "Comment");
    private static final Set<String> GRAPH_FIELDS = Set.of("StartAt", "States", "Comment");
    static final String S3_GET_OBJECT = "arn:aws:states:::s3:getObject";
    /** The fields only a Distributed Map has (those the local executor implements). */
    private static final List<String> DISTRIBUTED_FIELDS = List.of("ItemReader", "ToleratedFailurePercentage",
            "ToleratedFailureCount", "Label");
    private static final Set<String> INPUT_TYPES = Set.of("CSV", "JSON", "JSONL", "PARQUET", "MANIFEST");
    private static final int MAX_LABEL_LENGTH = 40;
    private static final Pattern INVALID_LABEL_CHARACTER =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1F\\x7F-\\x9F]");

    private final String machineLanguage;
    private final Set<String> stateNames = new HashSet<>();

    private DefinitionParser(String machineLanguage) {
        this.machineLanguage = machineLanguage;
    }

    static StateGraph parse(JsonNode definition) {
        String where = "State machine";
        if (!definition.isObject()) {
            throw fail(where, "the definition must be a JSON object");
        }
        definition.fieldNames().forEachRemaining(field -> {
            if (!TOP_LEVEL_FIELDS.contains(field)) {
                throw fail(where, "field '" + field + "' is not supported by the local executor");
            }
        });
        optionalText(where, definition, "Comment");
        String version = optionalText(where, definition, "Version");
        if (version != null && !version.equals("1.0")) {
            throw fail(where, "Version must be \"1.0\"");
        }
        executionTimeoutSeconds(definition);
        String language = queryLanguage(where, definition);
        return new DefinitionParser(language == null ? JSONPATH : language).graph(definition, where, Set.of());
    }

    // ---- graphs: the machine, an ItemProcessor, a Parallel branch ----

    /** @param outerVariables variables assigned by the scopes around this graph (empty at the top level) */
    private StateGraph graph(JsonNode container, String where, Set<String> outerVariables) {
        String startAt = requiredText(where, container, "StartAt");
        JsonNode statesJson = container.get("States");
        if (statesJson == null || !statesJson.isObject() || statesJson.isEmpty()) {
            throw fail(where, "field 'States' must be a non-empty JSON object");
        }
        Set<String> variables = new HashSet<>(outerVariables);
        statesJson.properties().forEach(e -> variables.addAll(assignedVariables(e.getKey(), e.getValue(), outerVariables)));
        Map<String, State> states = new LinkedHashMap<>();
        statesJson.properties().forEach(e -> states.put(e.getKey(), state(e.getKey(), e.getValue(), variables)));
        if (!states.containsKey(startAt)) {
            throw fail(where, "StartAt '" + startAt + "' names no state of its States");
        }
        checkTransitions(where, startAt, states);
        return new StateGraph(startAt, Collections.unmodifiableMap(states));
    }

    /**
     * Variables a state assigns. An iteration or branch reads the variables of the scopes around it but may not
     * assign one of them: its assignments would never be visible outside, which is surely not what was meant.
     */
    private static Set<String> assignedVariables(String stateName, JsonNode state, Set<String> outerVariables) {
        List<JsonNode> assigns = new ArrayList<>();
        assigns.add(state.path("Assign"));
        state.path("Choices").forEach(rule -> assigns.add(rule.path("Assign")));
        state.path("Catch").forEach(catcher -> assigns.add(catcher.path("Assign")));
        Set<String> names = new HashSet<>();
        for (JsonNode assign : assigns) {
            assign.fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            if (outerVariables.contains(name)) {
                throw fail("State '" + stateName + "'", "variable '" + name + "' is assigned in an enclosing scope;"
                        + " a Map iteration or Parallel branch can read it but not assign it");
            }
        }
        return names;
    }

    private static void checkTransitions(String where, String startAt, Map<String, State> states) {
        for (State state : states.values()) {
            for (String target : transitions(state)) {
                if (!states.containsKey(target)) {
                    throw fail("State '" + state.name() + "'", "transitions to '" + target
                            + "', which is not a state in the same scope");
                }
            }
        }
        Set<String> reachable = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(startAt));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (reachable.add(name)) {
                pending.addAll(transitions(states.get(name)));
            }
        }
        for (String name : states.keySet()) {
            if (!reachable.contains(name)) {
                throw fail("State '" + name + "'", "is not reachable from StartAt '" + startAt + "'");
            }
        }
        boolean anyTerminal = states.values().stream().anyMatch(s -> s instanceof State.Succeed || s instanceof State.Fail
                || (!(s instanceof State.Choice) && transitions(s).isEmpty()));
        if (!anyTerminal) {
            throw fail(where, "no state ends the execution (End, Succeed or Fail)");
        }
    }

    private static List<String> transitions(State state) {
        List<String> targets = new ArrayList<>();
        if (state instanceof State.Task s) {
            addNext(targets, s.next(), s.catchers());
        } else if (state instanceof State.MapState s) {
            addNext(targets, s.next(), s.catchers());
        } else if (state instanceof State.Parallel s) {
            addNext(targets, s.next(), s.catchers());
        } else if (state instanceof State.Pass s) {
            addNext(targets, s.next(), List.of());
        } else if (state instanceof State.Wait s) {
            addNext(targets, s.next(), List.of());
        } else if (state instanceof State.Choice s) {
            s.rules().forEach(rule -> targets.add(rule.next()));
            if (s.defaultNext() != null) {
                targets.add(s.defaultNext());
            }
        }
        return targets;
    }

    private static void addNext(List<String> targets, String next, List<Catcher> catchers) {
        if (next != null) {
            targets.add(next);
        }
        catchers.forEach(catcher -> targets.add(catcher.next()));
    }

    // ---- states ----

    private State state(String name, JsonNode json, Set<String> variables) {
        String where = "State '" + name + "'";
        if (!json.isObject()) {
            throw fail(where, "must be a JSON object");
        }
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw fail(where, "a state name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!stateNames.add(name)) {
            throw fail(where, "another state has the same name; state names must be unique in the state machine");
        }
        String type = requiredText(where, json, "Type");
        Set<String> allowed = FIELDS_BY_TYPE.get(type);
        if (allowed == null) {
            throw fail(where, "Type '" + type + "' is not supported by the local executor");
        }
        String language = queryLanguage(where, json);
        String effectiveLanguage = language != null ? language : machineLanguage;
        if (!effectiveLanguage.equals(JSONATA)) {
            throw fail(where, "QueryLanguage is " + effectiveLanguage + "; the local executor supports only JSONata"
                    + " (set \"QueryLanguage\": \"JSONata\" at the top of the definition)");
        }
        json.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw fail(where, JSONPATH_FIELDS.contains(field)
                        ? "field '" + field + "' belongs to the JSONPath query language; the local executor supports only JSONata"
                        : FIELDS_OF_SOME_TYPE.contains(field)
                        ? "field '" + field + "' is not valid in a " + type + " state"
                        : "field '" + field + "' is not supported by the local executor");
            }
        });
        optionalText(where, json, "Comment");
        return switch (type) {
            case "Task" -> task(where, name, json);
            case "Pass" -> new State.Pass(name, transition(where, json),
                    template(where, json.get("Output"), "Output", false, false),
                    assign(where, json.get("Assign"), "Assign", false, false));
            case "Choice" -> choice(where, name, json);
            case "Wait" -> waitState(where, name, json);
            case "Succeed" -> new State.Succeed(name, template(where, json.get("Output"), "Output", false, false));
            case "Fail" -> new State.Fail(name, stringTemplate(where, json, "Error"), stringTemplate(where, json, "Cause"));
            case "Map" -> map(where, name, json, variables);
            case "Parallel" -> parallel(where, name, json, variables);
            default -> throw new IllegalStateException(type);
        };
    }

    private State task(String where, String name, JsonNode json) {
        String resource = requiredText(where, json, "Resource");
        if (!resource.equals(LAMBDA_INVOKE)) {
            throw fail(where, "Resource '" + resource + "' is not supported by the local executor (only "
                    + LAMBDA_INVOKE + ")");
        }
        JsonNode arguments = json.get("Arguments");
        if (arguments == null || !arguments.isObject()) {
            throw fail(where, "field 'Arguments' must be a JSON object with FunctionName and Payload");
        }
        arguments.fieldNames().forEachRemaining(field -> {
            if (!field.equals("FunctionName") && !field.equals("Payload")) {
                throw fail(where, "field 'Arguments/" + field + "' is not supported by the local executor");
            }
        });
        if (!arguments.has("FunctionName") || !arguments.has("Payload")) {
            throw fail(where, "field 'Arguments' must contain FunctionName and Payload");
        }
        JsonNode functionName = arguments.get("FunctionName");
        if (!functionName.isTextual() || functionName.textValue().isBlank()) {
            throw fail(where, "field 'Arguments/FunctionName' must be a function name or a JSONata expression");
        }
        return new State.Task(name, transition(where, json),
                template(where, arguments, "Arguments", false, false),
                integerOrExpression(where, json, "TimeoutSeconds", 1, MAX_SECONDS),
                template(where, json.get("Output"), "Output", true, false),
                assign(where, json.get("Assign"), "Assign", true, false),
                retriers(where, json), catchers(where, json));
    }

    private State choice(String where, String name, JsonNode json) {
        JsonNode choices = json.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw fail(where, "field 'Choices' must be a non-empty array of Choice Rules");
        }
        List<State.ChoiceRule> rules = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            String at = "Choices[" + i + "]";
            JsonNode rule = choices.get(i);
            if (!rule.isObject()) {
                throw fail(where, at + " must be a JSON object");
            }
            rule.fieldNames().forEachRemaining(field -> {
                if (!CHOICE_RULE_FIELDS.contains(field)) {
                    throw fail(where, at + " field '" + field + "' is not supported by the local executor"
                            + " (a JSONata Choice Rule has Condition, Next, Output, Assign)");
                }
            });
            JsonNode condition = rule.get("Condition");
            if (condition == null || !(condition.isBoolean() || isExpressionText(condition))) {
                throw fail(where, at + " field 'Condition' must be a JSONata expression");
            }
            optionalText(where, rule, "Comment");
            rules.add(new State.ChoiceRule(template(where, condition, at + "/Condition", false, false),
                    requiredText(where, rule, "Next"),
                    template(where, rule.get("Output"), at + "/Output", false, false),
                    assign(where, rule.get("Assign"), at + "/Assign", false, false)));
        }
        return new State.Choice(name, List.copyOf(rules), optionalText(where, json, "Default"),
                template(where, json.get("Output"), "Output", false, false),
                assign(where, json.get("Assign"), "Assign", false, false));
    }

    private State waitState(String where, String name, JsonNode json) {
        if (json.has("Seconds") == json.has("Timestamp")) {
            throw fail(where, "a Wait state needs exactly one of Seconds and Timestamp");
        }
        Template timestamp = null;
        JsonNode timestampJson = json.get("Timestamp");
        if (timestampJson != null) {
            if (!timestampJson.isTextual()) {
                throw fail(where, "field 'Timestamp' must be an ISO-8601 timestamp or a JSONata expression");
            }
            if (!isExpressionText(timestampJson) && State.Wait.parseTimestamp(timestampJson.textValue()) == null) {
                throw fail(where, "field 'Timestamp' is not an ISO-8601 timestamp: " + timestampJson.textValue());
            }
            timestamp = template(where, timestampJson, "Timestamp", false, false);
        }
        return new State.Wait(name, transition(where, json),
                integerOrExpression(where, json, "Seconds", 0, MAX_SECONDS), timestamp,
                template(where, json.get("Output"), "Output", false, false),
                assign(where, json.get("Assign"), "Assign", false, false));
    }

    private State map(String where, String name, JsonNode json, Set<String> variables) {
        JsonNode processor = json.get("ItemProcessor");
        if (processor == null || !processor.isObject()) {
            throw fail(where, "field 'ItemProcessor' is required and must be a JSON object");
        }
        processor.fieldNames().forEachRemaining(field -> {
            if (!GRAPH_FIELDS.contains(field) && !field.equals("ProcessorConfig")) {
                throw fail(where, "field 'ItemProcessor/" + field + "' is not supported by the local executor");
            }
        });
        JsonNode config = processor.get("ProcessorConfig");
        boolean distributed = false;
        if (config != null) {
            if (!config.isObject()) {
                throw fail(where, "field 'ItemProcessor/ProcessorConfig' must be a JSON object");
            }
            config.fieldNames().forEachRemaining(field -> {
                if (!field.equals("Mode") && !field.equals("ExecutionType")) {
                    throw fail(where, "field 'ItemProcessor/ProcessorConfig/" + field + "' is not supported by the local executor");
                }
            });
            String mode = optionalText(where, config, "Mode");
            if (mode != null && !mode.equals("INLINE") && !mode.equals("DISTRIBUTED")) {
                throw fail(where, "ItemProcessor Mode must be INLINE or DISTRIBUTED, not '" + mode + "'");
            }
            distributed = "DISTRIBUTED".equals(mode);
            String executionType = optionalText(where, config, "ExecutionType");
            if (distributed && executionType == null) {
                throw fail(where, "a DISTRIBUTED ItemProcessor needs ProcessorConfig ExecutionType (STANDARD or EXPRESS)");
            }
            if (!distributed && executionType != null) {
                throw fail(where, "field 'ItemProcessor/ProcessorConfig/ExecutionType' is valid only with Mode DISTRIBUTED");
            }
            if (executionType != null && !executionType.equals("STANDARD")) {
                throw fail(where, executionType.equals("EXPRESS")
                        ? "ProcessorConfig ExecutionType EXPRESS is not supported by the local executor (only STANDARD)"
                        : "ProcessorConfig ExecutionType must be STANDARD or EXPRESS, not '" + executionType + "'");
            }
        }
        State.Distributed distribution = null;
        if (distributed) {
            distribution = distribution(where, json);
        } else {
            for (String field : DISTRIBUTED_FIELDS) {
                if (json.has(field)) {
                    throw fail(where, "field '" + field + "' is valid only in a Distributed Map (ItemProcessor"
                            + " ProcessorConfig Mode DISTRIBUTED)");
                }
            }
        }
        if (json.has("ItemReader") && json.has("Items")) {
            throw fail(where, "fields 'Items' and 'ItemReader' exclude each other: the items come from one of them");
        }
        JsonNode items = json.get("Items");
        if (items != null && !items.isArray() && !isExpressionText(items)) {
            throw fail(where, "field 'Items' must be a JSON array or a JSONata expression");
        }
        requireObjectOrExpression(where, json, "ItemSelector");
        return new State.MapState(name, transition(where, json),
                template(where, items, "Items", false, false),
                template(where, json.get("ItemSelector"), "ItemSelector", false, false),
                integerOrExpression(where, json, "MaxConcurrency", 0, MAX_SECONDS),
                // A child execution reads none of the parent's variables: its graph is checked as a machine's.
                graph(processor, where + " ItemProcessor", distributed ? Set.of() : variables),
                template(where, json.get("Output"), "Output", true, false),
                assign(where, json.get("Assign"), "Assign", true, false),
                retriers(where, json), catchers(where, json), distribution);
    }

    private static State.Distributed distribution(String where, JsonNode json) {
        State.ItemReader reader = null;
        JsonNode readerJson = json.get("ItemReader");
        if (readerJson != null) {
            reader = itemReader(where, readerJson);
        }
        Template percentage = null;
        JsonNode percentageJson = json.get("ToleratedFailurePercentage");
        if (percentageJson != null) {
            if (!isExpressionText(percentageJson) && !(percentageJson.isNumber() && percentageJson.doubleValue() >= 0
                    && percentageJson.doubleValue() <= 100)) {
                throw fail(where, "field 'ToleratedFailurePercentage' must be a number from 0 to 100 or a JSONata expression");
            }
            percentage = template(where, percentageJson, "ToleratedFailurePercentage", false, false);
        }
        Template count = integerOrExpression(where, json, "ToleratedFailureCount", 0, Integer.MAX_VALUE);
        String label = optionalText(where, json, "Label");
        if (label != null && (label.isEmpty() || label.length() > MAX_LABEL_LENGTH
                || INVALID_LABEL_CHARACTER.matcher(label).find())) {
            throw fail(where, "field 'Label' must be 1 to " + MAX_LABEL_LENGTH + " characters, without whitespace,"
                    + " brackets, wildcards, special or control characters");
        }
        return new State.Distributed(reader, percentage, count, label);
    }

    private static State.ItemReader itemReader(String where, JsonNode json) {
        if (!json.isObject()) {
            throw fail(where, "field 'ItemReader' must be a JSON object");
        }
        json.fieldNames().forEachRemaining(field -> {
            if (!field.equals("Resource") && !field.equals("ReaderConfig") && !field.equals("Arguments")) {
                throw fail(where, field.equals("Parameters")
                        ? "field 'ItemReader/Parameters' belongs to the JSONPath query language; in JSONata it is Arguments"
                        : "field 'ItemReader/" + field + "' is not supported by the local executor");
            }
        });
        String resource = requiredText(where, json, "Resource");
        if (!resource.equals(S3_GET_OBJECT)) {
            throw fail(where, "ItemReader Resource '" + resource + "' is not supported by the local executor (only "
                    + S3_GET_OBJECT + ")");
        }
        JsonNode config = json.get("ReaderConfig");
        if (config == null || !config.isObject()) {
            throw fail(where, "field 'ItemReader/ReaderConfig' must be a JSON object with InputType (reading a file"
                    + " with s3:getObject needs it)");
        }
        config.fieldNames().forEachRemaining(field -> {
            if (!field.equals("InputType")) {
                throw fail(where, "field 'ItemReader/ReaderConfig/" + field + "' is not supported by the local executor");
            }
        });
        String inputType = requiredText(where, config, "InputType");
        if (!INPUT_TYPES.contains(inputType)) {
            throw fail(where, "ItemReader InputType must be one of CSV, JSON, JSONL, PARQUET, MANIFEST, not '"
                    + inputType + "'");
        }
        if (!inputType.equals("JSONL")) {
            throw fail(where, "ItemReader InputType " + inputType + " is not supported by the local executor (only JSONL)");
        }
        JsonNode arguments = json.get("Arguments");
        if (arguments == null || !arguments.isObject()) {
            throw fail(where, "field 'ItemReader/Arguments' must be a JSON object with Bucket and Key");
        }
        arguments.fieldNames().forEachRemaining(field -> {
            if (!field.equals("Bucket") && !field.equals("Key")) {
                throw fail(where, "field 'ItemReader/Arguments/" + field + "' is not supported by the local executor");
            }
        });
        if (!arguments.has("Bucket") || !arguments.has("Key")) {
            throw fail(where, "field 'ItemReader/Arguments' must contain Bucket and Key");
        }
        return new State.ItemReader(template(where, arguments, "ItemReader/Arguments", false, false));
    }

    private State parallel(String where, String name, JsonNode json, Set<String> variables) {
        JsonNode branchesJson = json.get("Branches");
        if (branchesJson == null || !branchesJson.isArray() || branchesJson.isEmpty()) {
            throw fail(where, "field 'Branches' must be a non-empty array");
        }
        requireObjectOrExpression(where, json, "Arguments");
        List<StateGraph> branches = new ArrayList<>();
        for (int i = 0; i < branchesJson.size(); i++) {
            String at = where + " Branches[" + i + "]";
            JsonNode branch = branchesJson.get(i);
            if (!branch.isObject()) {
                throw fail(at, "must be a JSON object");
            }
            branch.fieldNames().forEachRemaining(field -> {
                if (!GRAPH_FIELDS.contains(field)) {
                    throw fail(at, "field '" + field + "' is not supported by the local executor");
                }
            });
            branches.add(graph(branch, at, variables));
        }
        return new State.Parallel(name, transition(where, json),
                template(where, json.get("Arguments"), "Arguments", false, false), List.copyOf(branches),
                template(where, json.get("Output"), "Output", true, false),
                assign(where, json.get("Assign"), "Assign", true, false),
                retriers(where, json), catchers(where, json));
    }

    // ---- Retry and Catch ----

    private static List<Retrier> retriers(String where, JsonNode json) {
        JsonNode retry = json.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            throw fail(where, "field 'Retry' must be an array of retriers");
        }
        List<Retrier> retriers = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            String at = "Retry[" + i + "]";
            JsonNode retrier = retry.get(i);
            checkFields(where, retrier, at, RETRIER_FIELDS);
            optionalText(where, retrier, "Comment");
            String jitter = optionalText(where, retrier, "JitterStrategy");
            if (jitter != null && !jitter.equals("FULL") && !jitter.equals("NONE")) {
                throw fail(where, at + " field 'JitterStrategy' must be FULL or NONE");
            }
            JsonNode backoff = retrier.get("BackoffRate");
            if (backoff != null && (!backoff.isNumber() || backoff.doubleValue() < 1.0)) {
                throw fail(where, at + " field 'BackoffRate' must be a number not less than 1.0");
            }
            retriers.add(new Retrier(errorEquals(where, retrier, at, i == retry.size() - 1),
                    integer(where, retrier, at, "IntervalSeconds", 1, MAX_SECONDS, Retrier.DEFAULT_INTERVAL_SECONDS),
                    integer(where, retrier, at, "MaxAttempts", 0, MAX_SECONDS, Retrier.DEFAULT_MAX_ATTEMPTS),
                    backoff == null ? Retrier.DEFAULT_BACKOFF_RATE : backoff.doubleValue(),
                    retrier.has("MaxDelaySeconds") ? integer(where, retrier, at, "MaxDelaySeconds", 1, MAX_DELAY_SECONDS, 0) : null,
                    "FULL".equals(jitter)));
        }
        return List.copyOf(retriers);
    }

    private static List<Catcher> catchers(String where, JsonNode json) {
        JsonNode catchJson = json.get("Catch");
        if (catchJson == null) {
            return List.of();
        }
        if (!catchJson.isArray()) {
            throw fail(where, "field 'Catch' must be an array of catchers");
        }
        List<Catcher> catchers = new ArrayList<>();
        for (int i = 0; i < catchJson.size(); i++) {
            String at = "Catch[" + i + "]";
            JsonNode catcher = catchJson.get(i);
            checkFields(where, catcher, at, CATCHER_FIELDS);
            optionalText(where, catcher, "Comment");
            catchers.add(new Catcher(errorEquals(where, catcher, at, i == catchJson.size() - 1),
                    requiredText(where, catcher, "Next"),
                    template(where, catcher.get("Output"), at + "/Output", false, true),
                    assign(where, catcher.get("Assign"), at + "/Assign", false, true)));
        }
        return List.copyOf(catchers);
    }

    private static List<String> errorEquals(String where, JsonNode handler, String at, boolean last) {
        JsonNode names = handler.get("ErrorEquals");
        if (names == null || !names.isArray() || names.isEmpty()) {
            throw fail(where, at + " field 'ErrorEquals' must be a non-empty array of error names");
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode name : names) {
            if (!name.isTextual() || name.textValue().isEmpty()) {
                throw fail(where, at + " field 'ErrorEquals' must hold non-empty strings");
            }
            String error = name.textValue();
            if (error.startsWith("States.") && !ErrorNames.PREDEFINED.contains(error)) {
                throw fail(where, at + " names the unknown predefined error '" + error + "'");
            }
            errors.add(error);
        }
        if (errors.contains(ErrorNames.ALL) && (errors.size() > 1 || !last)) {
            throw fail(where, at + ": States.ALL must appear alone, in the last " + (at.startsWith("Retry") ? "retrier" : "catcher"));
        }
        return List.copyOf(errors);
    }

    private static void checkFields(String where, JsonNode handler, String at, Set<String> allowed) {
        if (!handler.isObject()) {
            throw fail(where, at + " must be a JSON object");
        }
        handler.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw fail(where, at + (JSONPATH_FIELDS.contains(field)
                        ? " field '" + field + "' belongs to the JSONPath query language; the local executor supports only JSONata"
                        : " field '" + field + "' is not supported by the local executor"));
            }
        });
    }

    // ---- field helpers ----

    /** Next or End: exactly one, End only as true. */
    private static String transition(String where, JsonNode json) {
        JsonNode end = json.get("End");
        if (end != null && !(end.isBoolean() && end.booleanValue())) {
            throw fail(where, "field 'End' must be true when present");
        }
        String next = optionalText(where, json, "Next");
        if ((next == null) == (end == null)) {
            throw fail(where, "needs exactly one of Next and End");
        }
        return next;
    }

    /**
     * Compiles a JSONata-mode field. $states.result exists only where a Task, Map or Parallel result does, and
     * $states.errorOutput only in a Catch; anywhere else the reference is a mistake and is rejected.
     */
    private static Template template(String where, JsonNode value, String field, boolean resultAvailable,
                                     boolean errorOutputAvailable) {
        if (value == null) {
            return null;
        }
        Template template;
        try {
            template = Template.compile(value, field);
        } catch (IllegalArgumentException e) {
            throw new AslValidationException(where + ": " + e.getMessage(), e);
        }
        for (JsonataExpression expression : template.expressions()) {
            if (!resultAvailable && RESULT_REFERENCE.matcher(expression.source()).find()) {
                throw fail(where, "field '" + field + "' refers to $states.result, which exists only in the Output"
                        + " and Assign of Task, Map and Parallel states");
            }
            if (!errorOutputAvailable && ERROR_OUTPUT_REFERENCE.matcher(expression.source()).find()) {
                throw fail(where, "field '" + field + "' refers to $states.errorOutput, which exists only in the Output"
                        + " and Assign of a Catch");
            }
        }
        return template;
    }

    private static Template assign(String where, JsonNode value, String field, boolean resultAvailable,
                                   boolean errorOutputAvailable) {
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw fail(where, "field '" + field + "' must be a JSON object of variable names and values");
        }
        value.fieldNames().forEachRemaining(variable -> {
            if (!VARIABLE_NAME.matcher(variable).matches() || variable.length() > MAX_NAME_LENGTH || variable.equals("states")) {
                throw fail(where, "field '" + field + "' assigns '" + variable + "', which is not a valid variable name");
            }
        });
        return template(where, value, field, resultAvailable, errorOutputAvailable);
    }

    private static void requireObjectOrExpression(String where, JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && !value.isObject() && !isExpressionText(value)) {
            throw fail(where, "field '" + field + "' must be a JSON object or a JSONata expression");
        }
    }

    private static Template stringTemplate(String where, JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && !value.isTextual()) {
            throw fail(where, "field '" + field + "' must be a string or a JSONata expression");
        }
        return template(where, value, field, false, false);
    }

    private static Template integerOrExpression(String where, JsonNode json, String field, int min, int max) {
        JsonNode value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!isExpressionText(value) && !(value.canConvertToInt() && value.isIntegralNumber()
                && value.intValue() >= min && value.intValue() <= max)) {
            throw fail(where, "field '" + field + "' must be an integer from " + min + " to " + max
                    + " or a JSONata expression");
        }
        return template(where, value, field, false, false);
    }

    private static int integer(String where, JsonNode json, String at, String field, int min, int max, int fallback) {
        JsonNode value = json.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw fail(where, at + " field '" + field + "' must be an integer from " + min + " to " + max);
        }
        return value.intValue();
    }

    /** The machine's TimeoutSeconds (a literal integer: no expressions at the top level); 0 when it has none. */
    static int executionTimeoutSeconds(JsonNode definition) {
        return integer("State machine", definition, "the definition's", "TimeoutSeconds", 1, MAX_SECONDS, 0);
    }

    private static String queryLanguage(String where, JsonNode json) {
        String language = optionalText(where, json, "QueryLanguage");
        if (language != null && !language.equals(JSONATA) && !language.equals(JSONPATH)) {
            throw fail(where, "QueryLanguage must be JSONata or JSONPath");
        }
        return language;
    }

    private static boolean isExpressionText(JsonNode value) {
        return value.isTextual() && Template.isExpression(value.textValue());
    }

    private static String requiredText(String where, JsonNode json, String field) {
        String text = optionalText(where, json, field);
        if (text == null || text.isEmpty()) {
            throw fail(where, "field '" + field + "' is required and must be a non-empty string");
        }
        return text;
    }

    private static String optionalText(String where, JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail(where, "field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static Set<String> commonAnd(String... fields) {
        return Stream.concat(Stream.of("Type", "Comment", "QueryLanguage"), Stream.of(fields))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static AslValidationException fail(String where, String message) {
        return new AslValidationException(where + ": " + message);
    }
}
