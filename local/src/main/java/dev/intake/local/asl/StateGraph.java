package dev.intake.local.asl;

import java.util.Map;

/** A set of states and where to start: the whole machine, a Map's ItemProcessor or a Parallel branch. */
record StateGraph(String startAt, Map<String, State> states) {
}
