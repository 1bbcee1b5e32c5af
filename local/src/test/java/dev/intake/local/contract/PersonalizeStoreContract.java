package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.personalize.DatasetGroup;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeDataset;
import dev.intake.core.personalize.PersonalizeSchema;
import dev.intake.core.personalize.Tags;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.PersonalizeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The semantics of {@link PersonalizeStore}, for every adapter. */
abstract class PersonalizeStoreContract extends StorageContract {
    private static final String AVRO = "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}";

    private PersonalizeStore store() {
        return storage.personalize();
    }

    private static void fails(ErrorKind kind, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    private String schema() {
        String name = unique("s");
        store().createSchema(new PersonalizeSchema(name, AVRO, null, T0, T0));
        return name;
    }

    private String group() {
        String name = unique("g");
        store().createGroup(new DatasetGroup(name, null, null, null, DatasetGroup.ACTIVE, T0, T0), Map.of());
        return name;
    }

    private PersonalizeDataset dataset(String group, DatasetType type, String schema) {
        PersonalizeDataset p = new PersonalizeDataset(group, type, "d", schema, T0, T0, false);
        store().createDataset(intake(p), p, Map.of("k", "v"));
        return p;
    }

    private static Dataset intake(PersonalizeDataset p) {
        return new Dataset(p.datasetName(), AVRO, List.of("USER_ID"), T0, T0, "g0", false, 0);
    }

    @Test
    void schemasReadBackExactlyListByNameInPagesAndNamesAreUnique() {
        String name = unique("schema");
        PersonalizeSchema schema = new PersonalizeSchema(name, AVRO, "ECOMMERCE", T0, T0.plusSeconds(1));
        store().createSchema(schema);
        assertThat(store().findSchema(name)).contains(schema);
        PersonalizeSchema bare = new PersonalizeSchema(name + "-b", AVRO, null, T0, T0);
        store().createSchema(bare);
        assertThat(store().findSchema(name + "-b")).contains(bare);
        fails(ErrorKind.ALREADY_EXISTS, () -> store().createSchema(new PersonalizeSchema(name, "{}", null, T0, T0)));
        assertThat(store().findSchema(name)).contains(schema);

        List<String> listed = new ArrayList<>();
        String after = null;
        do {
            Page<PersonalizeSchema> page = store().listSchemas(after, 1);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(1);
            page.items().forEach(s -> listed.add(s.name()));
            after = page.lastKey();
        } while (after != null);
        assertThat(listed).isSorted().containsSubsequence(name, name + "-b");

        store().deleteSchema(name + "-b");
        assertThat(store().findSchema(name + "-b")).isEmpty();
        fails(ErrorKind.NOT_FOUND, () -> store().deleteSchema(name + "-b"));
    }

    @Test
    void groupsReadBackWithTheirTagsAndGoWithThem() {
        String name = unique("group");
        DatasetGroup group = new DatasetGroup(name, "arn:aws:iam::123456789012:role/r", "arn:aws:kms:us-east-1:123456789012:key/k",
                "VIDEO_ON_DEMAND", DatasetGroup.ACTIVE, T0, T0.plusSeconds(2));
        store().createGroup(group, Map.of("team", "recs"));
        assertThat(store().findGroup(name)).contains(group);
        assertThat(store().tags("dataset-group/" + name)).contains(new Tags(Map.of("team", "recs"), 1));
        fails(ErrorKind.ALREADY_EXISTS, () -> store().createGroup(new DatasetGroup(name, null, null, null, "ACTIVE", T0, T0),
                Map.of("other", "x")));
        assertThat(store().tags("dataset-group/" + name)).contains(new Tags(Map.of("team", "recs"), 1));
        String other = name + "-b";
        store().createGroup(new DatasetGroup(other, null, null, null, DatasetGroup.ACTIVE, T0, T0), Map.of());
        Page<DatasetGroup> page = store().listGroups(name, 1); // after name: the next by name
        assertThat(page.items()).containsExactly(store().findGroup(other).orElseThrow());
        assertThat(store().listGroups(null, 1000).items().stream().map(DatasetGroup::name)).contains(name, other).isSorted();

        store().deleteGroup(name);
        assertThat(store().findGroup(name)).isEmpty();
        assertThat(store().tags("dataset-group/" + name)).isEmpty();
        fails(ErrorKind.NOT_FOUND, () -> store().deleteGroup(name));
    }

    @Test
    void aDatasetIsMadeWithItsIntakeDatasetAndTagsAndHoldsItsGroupAndSchema() {
        String group = group();
        String schema = schema();
        PersonalizeDataset users = dataset(group, DatasetType.USERS, schema);
        assertThat(store().findDataset(group, DatasetType.USERS)).contains(users);
        assertThat(storage.datasets().find(users.datasetName())).contains(intake(users));
        assertThat(store().tags("dataset/" + users.datasetName() + "@" + T0.toEpochMilli())).contains(new Tags(Map.of("k", "v"), 1));
        fails(ErrorKind.IN_USE, () -> store().deleteGroup(group));
        fails(ErrorKind.IN_USE, () -> store().deleteSchema(schema));

        store().datasetDeleting(users);
        store().datasetDeleting(users); // again: nothing more happens
        assertThat(store().findDataset(group, DatasetType.USERS)).hasValueSatisfying(d -> assertThat(d.deleting()).isTrue());
        String other = group();
        dataset(other, DatasetType.ITEMS, schema); // the schema counts uses, not just 0 or 1
        fails(ErrorKind.IN_USE, () -> store().deleteSchema(schema));
        store().deleteGroup(group);
        assertThat(store().findGroup(group)).isEmpty();
    }

    @Test
    void aRefusedDatasetLeavesNothingBehind() {
        String group = group();
        String schema = schema();
        PersonalizeDataset items = dataset(group, DatasetType.ITEMS, schema);
        PersonalizeDataset again = new PersonalizeDataset(group, DatasetType.ITEMS, "again", schema, T0, T0, false);
        fails(ErrorKind.ALREADY_EXISTS, () -> store().createDataset(intake(again), again, Map.of()));
        PersonalizeDataset noGroup = new PersonalizeDataset(unique("none"), DatasetType.USERS, "x", schema, T0, T0, false);
        fails(ErrorKind.NOT_FOUND, () -> store().createDataset(intake(noGroup), noGroup, Map.of()));
        PersonalizeDataset noSchema = new PersonalizeDataset(group, DatasetType.USERS, "x", unique("none"), T0, T0, false);
        fails(ErrorKind.NOT_FOUND, () -> store().createDataset(intake(noSchema), noSchema, Map.of("a", "b")));
        assertThat(store().findDataset(group, DatasetType.USERS)).isEmpty();
        assertThat(storage.datasets().find(noSchema.datasetName())).isEmpty();
        assertThat(store().tags("dataset/" + noSchema.datasetName() + "@" + T0.toEpochMilli())).isEmpty();
        assertThat(store().findDataset(group, DatasetType.ITEMS)).contains(items);

        // a type whose former dataset's records are still being deleted: its Intake dataset is still there
        store().datasetDeleting(items);
        fails(ErrorKind.ALREADY_EXISTS, () -> store().createDataset(intake(again), again, Map.of()));
        assertThat(store().findDataset(group, DatasetType.ITEMS)).hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("d"));
        // ... and once it is gone, the type is free again
        storage.datasets().markDeleting(items.datasetName());
        storage.datasets().forget(items.datasetName());
        store().createDataset(intake(again), again, Map.of());
        assertThat(store().findDataset(group, DatasetType.ITEMS)).contains(again);
    }

    @Test
    void datasetsListByGroupThenTypeInPages() {
        String group = group();
        String schema = schema();
        dataset(group, DatasetType.USERS, schema);
        dataset(group, DatasetType.ACTIONS, schema);
        dataset(group, DatasetType.INTERACTIONS, schema);
        String other = group();
        dataset(other, DatasetType.ITEMS, schema);
        List<DatasetType> types = new ArrayList<>();
        String after = null;
        do {
            Page<PersonalizeDataset> page = store().listDatasets(group, after, 2);
            page.items().forEach(d -> {
                assertThat(d.group()).isEqualTo(group);
                types.add(d.type());
            });
            after = page.lastKey();
        } while (after != null);
        assertThat(types).containsExactly(DatasetType.ACTIONS, DatasetType.INTERACTIONS, DatasetType.USERS);
        assertThat(store().listDatasets(null, null, 1000).items().stream().map(d -> d.group() + "/" + d.type()))
                .contains(group + "/USERS", other + "/ITEMS").isSorted();
        assertThat(store().listDatasets(unique("none"), null, 10).items()).isEmpty();
    }

    @Test
    void aSchemaChangeMovesTheUseAndTheIntakeSchemaTogether() {
        String group = group();
        String v1 = schema();
        String v2 = schema();
        PersonalizeDataset users = dataset(group, DatasetType.USERS, v1);
        String newText = AVRO.replace("]}", ",{\"name\":\"AGE\",\"type\":[\"null\",\"int\"],\"default\":null}]}");
        store().changeSchema(users, v2, newText, T0.plusSeconds(30));
        assertThat(store().findDataset(group, DatasetType.USERS)).contains(new PersonalizeDataset(group, DatasetType.USERS,
                "d", v2, T0, T0.plusSeconds(30), false));
        assertThat(storage.datasets().find(users.datasetName()).orElseThrow().schema()).isEqualTo(newText);
        store().deleteSchema(v1);
        fails(ErrorKind.IN_USE, () -> store().deleteSchema(v2));
        // made from a stale read: refused
        fails(ErrorKind.CONFLICT, () -> store().changeSchema(users, v2, AVRO, T0.plusSeconds(40)));
        PersonalizeDataset current = store().findDataset(group, DatasetType.USERS).orElseThrow();
        fails(ErrorKind.NOT_FOUND, () -> store().changeSchema(current, unique("none"), AVRO, T0.plusSeconds(40)));
        assertThat(storage.datasets().find(users.datasetName()).orElseThrow().schema()).isEqualTo(newText);
        // imports pending: refused
        storage.jobs().create(job(users.datasetName(), unique("job"), T0, dev.intake.core.ImportMode.FULL));
        String v3 = schema();
        fails(ErrorKind.IN_USE, () -> store().changeSchema(current, v3, AVRO, T0.plusSeconds(50)));
        store().deleteSchema(v3);
        assertThat(store().findDataset(group, DatasetType.USERS)).contains(current);
    }

    @Test
    void tagsChangeOnlyFromTheVersionTheyWereReadAt() {
        String resource = "dataset-import-job/" + unique("job");
        assertThat(store().tags(resource)).isEmpty();
        store().putTags(resource, Map.of("a", "1"), 0);
        assertThat(store().tags(resource)).contains(new Tags(Map.of("a", "1"), 1));
        fails(ErrorKind.CONFLICT, () -> store().putTags(resource, Map.of("b", "2"), 0));
        store().putTags(resource, Map.of("a", "1", "b", "2"), 1);
        fails(ErrorKind.CONFLICT, () -> store().putTags(resource, Map.of(), 1));
        assertThat(store().tags(resource)).contains(new Tags(Map.of("a", "1", "b", "2"), 2));
        store().putTags(resource, Map.of(), 2);
        assertThat(store().tags(resource)).contains(new Tags(Map.of(), 3));
    }
}
