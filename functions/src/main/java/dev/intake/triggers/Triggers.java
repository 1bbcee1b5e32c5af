package dev.intake.triggers;

import static dev.intake.app.Permission.CONTROL_READ;
import static dev.intake.app.Permission.CONTROL_WRITE;
import static dev.intake.app.Permission.START_IMPORTS;

import dev.intake.workflow.WorkflowTasks;
import java.util.Set;

/** What starts imports without an API call; the CDK stack and the local runtime wire each the same way. */
public final class Triggers {
    /**
     * The landing queue's consumer: reads datasets and open batches, opens or adds to a batch (one
     * transaction each), and starts the execution of a batch that is first in its dataset's queue.
     */
    public static final WorkflowTasks.Task S3_ARRIVALS = new WorkflowTasks.Task("S3Arrivals",
            S3EventTrigger.class.getName(), false, Set.of(CONTROL_READ, CONTROL_WRITE, START_IMPORTS));

    private Triggers() {
    }
}
