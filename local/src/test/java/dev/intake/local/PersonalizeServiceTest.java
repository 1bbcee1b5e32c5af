package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.DatasetService;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeService;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteStorage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Personalize's datasets do while Intake's engine holds them: imports pending, records still
 * being deleted (the deletion workflow driven by hand here, so those states last).
 */
class PersonalizeServiceTest {
    private static final String USERS = "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}";
    private static final String USERS_2 = "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
            + "{\"name\":\"AGE\",\"type\":[\"null\",\"int\"],\"default\":null}]}";

    private final SqliteDatabase db = SqliteDatabase.inMemory();
    private final Storage storage = SqliteStorage.of(db);
    private final List<String> deletionsStarted = new ArrayList<>();
    private final DatasetService datasets = new DatasetService(storage.datasets(), storage.records(),
            WorkflowStarter.manual(deletionsStarted::add), Clock.systemUTC());
    private final PersonalizeService personalize = new PersonalizeService(storage.personalize(), storage.datasets(), datasets,
            storage.jobs(), Clock.systemUTC());

    @AfterEach
    void close() {
        db.close();
    }

    private static void fails(ErrorKind kind, String message, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(message);
    }

    private void pendingImport(String dataset) {
        Instant now = Instant.now();
        storage.jobs().create(new ImportJob("job-1", dataset, "s3://data/x.csv", ImportMode.FULL, JobStatus.PENDING, now, now,
                null, null, Map.of(), false, 10.0, ImportStatistics.EMPTY, null, null));
    }

    @Test
    void aDatasetWithAnImportPendingCanNeitherChangeItsSchemaNorGo() {
        personalize.createGroup("shop", null, null, null, Map.of());
        personalize.createSchema("v1", USERS, null);
        personalize.createSchema("v2", USERS_2, null);
        personalize.createDataset("people", "shop", "Users", "v1", Map.of());
        pendingImport("shop.USERS");

        fails(ErrorKind.IN_USE, "imports pending or in progress", () -> personalize.updateDataset("shop", DatasetType.USERS, "v2"));
        fails(ErrorKind.IN_USE, "import job(s) pending or in progress", () -> personalize.deleteDataset("shop", DatasetType.USERS));
        var dataset = personalize.describeDataset("shop", DatasetType.USERS);
        assertThat(dataset.personalize().schemaName()).isEqualTo("v1");
        assertThat(dataset.dataset().schema()).isEqualTo(USERS);
        assertThat(dataset.dataset().status().deleting()).isFalse();
        fails(ErrorKind.IN_USE, "used by 1", () -> personalize.deleteSchema("v1"));
        personalize.deleteSchema("v2"); // the refused change left no use behind
        assertThat(deletionsStarted).isEmpty();
    }

    @Test
    void aTypeIsFreeInItsGroupOnlyWhenItsFormerDatasetsRecordsAreGone() {
        personalize.createGroup("shop", null, null, null, Map.of());
        personalize.createSchema("v1", USERS, null);
        personalize.createDataset("people", "shop", "users", "v1", Map.of("old", "1"));
        personalize.tag(PersonalizeService.Taggable.DATASET, "shop.USERS", Map.of("older", "2"));
        personalize.deleteDataset("shop", DatasetType.USERS);
        assertThat(deletionsStarted).containsExactly("shop.USERS");
        assertThat(personalize.describeDataset("shop", DatasetType.USERS).dataset().status().name()).isEqualTo("DELETE_PENDING");
        personalize.deleteDataset("shop", DatasetType.USERS); // again: nothing more happens

        fails(ErrorKind.IN_USE, "still being deleted", () -> personalize.createDataset("again", "shop", "Users", "v1", Map.of()));
        assertThat(personalize.describeDataset("shop", DatasetType.USERS).personalize().name()).isEqualTo("people");
        fails(ErrorKind.IN_USE, "being deleted", () -> personalize.updateDataset("shop", DatasetType.USERS, "v1"));

        while (!datasets.deleteSome("shop.USERS")) {
            // the deletion workflow's loop
        }
        fails(ErrorKind.NOT_FOUND, "has no USERS dataset", () -> personalize.describeDataset("shop", DatasetType.USERS));
        personalize.createDataset("again", "shop", "Users", "v1", Map.of("k", "v"));
        assertThat(personalize.describeDataset("shop", DatasetType.USERS).personalize().name()).isEqualTo("again");
        assertThat(personalize.listTags(PersonalizeService.Taggable.DATASET, "shop.USERS")).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void aDatasetMadeAgainUnderItsNameThroughIntakesApiHasNoneOfTheOldTags() {
        datasets.create("users", USERS, List.of("USER_ID"));
        personalize.tag(PersonalizeService.Taggable.DATASET, "users", Map.of("team", "crm"));
        assertThat(personalize.listTags(PersonalizeService.Taggable.DATASET, "users")).isEqualTo(Map.of("team", "crm"));
        datasets.delete("users");
        while (!datasets.deleteSome("users")) {
            // the deletion workflow's loop
        }
        fails(ErrorKind.NOT_FOUND, "does not exist", () -> personalize.listTags(PersonalizeService.Taggable.DATASET, "users"));
        // Tags are kept under the dataset's creation millisecond: all of the above can run within the
        // first one here, in memory (never against a real store), so the second creation waits for the next.
        long first = Instant.now().toEpochMilli();
        while (Instant.now().toEpochMilli() == first) {
            Thread.onSpinWait();
        }
        datasets.create("users", USERS, List.of("USER_ID"));
        assertThat(personalize.listTags(PersonalizeService.Taggable.DATASET, "users")).isEmpty();
    }

    @Test
    void aDatasetDeletedThroughIntakesOwnApiFreesItsGroupAndSchema() {
        personalize.createGroup("shop", null, null, null, Map.of());
        personalize.createSchema("v1", USERS, null);
        personalize.createDataset("people", "shop", "Users", "v1", Map.of());
        personalize.createSchema("actions", "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"ACTION_ID\","
                + "\"type\":\"string\"}]}", null);
        personalize.createDataset("things", "shop", "Actions", "actions", Map.of());
        datasets.delete("shop.USERS"); // Intake's own DeleteDataset

        personalize.deleteSchema("v1"); // its dataset is being deleted: no longer a use
        fails(ErrorKind.IN_USE, "has 1 dataset", () -> personalize.deleteGroup("shop")); // ACTIONS still counts
        fails(ErrorKind.IN_USE, "used by 1", () -> personalize.deleteSchema("actions"));
        assertThat(personalize.describeDataset("shop", DatasetType.USERS).personalize().deleting()).isTrue();
        personalize.deleteDataset("shop", DatasetType.ACTIONS);
        personalize.deleteGroup("shop");
        personalize.deleteSchema("actions");
    }
}
