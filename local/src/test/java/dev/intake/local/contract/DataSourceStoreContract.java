package dev.intake.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.core.DataLocation;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The semantics of {@link dev.intake.core.ports.DataSourceStore}, for every adapter. */
abstract class DataSourceStoreContract extends StorageContract {

    static DataSource source(String name, long version) {
        return new DataSource(name, DataLocation.parse("s3://landing/" + name + "/"), "users", ImportMode.INCREMENTAL,
                SourceSchedule.of("cron(0 2 ? * MON-FRI *)", "Europe/Berlin"), true,
                "arn:aws:iam::123456789012:role/reader", 12.5, Map.of("team", "crm", "env", "dev"), T0,
                T0.plusSeconds(version), version);
    }

    @Test
    void aCreatedSourceReadsBackExactlyWithAndWithoutItsOptionalParts() {
        String name = unique("exact");
        storage.dataSources().create(source(name, 1));
        assertThat(storage.dataSources().find(name)).contains(source(name, 1));
        String plain = unique("plain");
        DataSource bare = new DataSource(plain, DataLocation.parse("s3://landing/"), "users", null, null, false, null, null,
                null, T0, T0, 1);
        storage.dataSources().create(bare);
        assertThat(storage.dataSources().find(plain)).contains(bare);
        assertThat(storage.dataSources().find(unique("missing"))).isEmpty();
    }

    @Test
    void namesAreUniqueAndARefusedCreateChangesNothing() {
        String name = unique("taken");
        storage.dataSources().create(source(name, 1));
        assertThatThrownBy(() -> storage.dataSources().create(new DataSource(name, DataLocation.parse("s3://other/"), "x",
                ImportMode.FULL, null, false, null, null, null, T0, T0, 1)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("Data source '" + name + "' already exists");
        assertThat(storage.dataSources().find(name)).contains(source(name, 1));
    }

    @Test
    void anUpdateAppliesOnlyToTheVersionItWasMadeFrom() {
        String name = unique("update");
        storage.dataSources().create(source(name, 1));
        DataSource changed = new DataSource(name, DataLocation.parse("s3://landing/moved/"), "users", ImportMode.FULL, null,
                false, null, null, Map.of(), T0, T0.plusSeconds(60), 2);
        storage.dataSources().update(changed, 1);
        assertThat(storage.dataSources().find(name)).contains(changed);

        // A second update made from version 1 (read before the first was written) is refused.
        assertThatThrownBy(() -> storage.dataSources().update(source(name, 2), 1))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(storage.dataSources().find(name)).contains(changed);

        String gone = unique("gone");
        assertThatThrownBy(() -> storage.dataSources().update(source(gone, 2), 1))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(storage.dataSources().find(gone)).as("an update never creates").isEmpty();
    }

    @Test
    void deleteRemovesItAndFreesTheNameAndDeletingAgainIsFine() {
        String name = unique("delete");
        storage.dataSources().create(source(name, 1));
        storage.dataSources().delete(name);
        assertThat(storage.dataSources().find(name)).isEmpty();
        storage.dataSources().delete(name);
        storage.dataSources().create(source(name, 1));
        assertThat(storage.dataSources().find(name)).isPresent();
    }

    @Test
    void pagesListEverySourceOnceInNameOrderAndAllHoldsThemAll() {
        String prefix = unique("page");
        List<String> names = List.of(prefix + "-c", prefix + "-a", prefix + "-e", prefix + "-b", prefix + "-d");
        names.forEach(n -> storage.dataSources().create(source(n, 1)));
        for (int limit : List.of(1, 2, 100)) {
            List<String> seen = new ArrayList<>();
            String after = prefix;
            for (int pages = 0; after != null; pages++) {
                assertThat(pages).as("pages of %d", limit).isLessThan(10);
                Page<DataSource> page = storage.dataSources().list(after, limit);
                assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
                page.items().stream().map(DataSource::name).filter(n -> n.startsWith(prefix)).forEach(seen::add);
                boolean beyondThisTest = page.items().stream().anyMatch(d -> !d.name().startsWith(prefix));
                after = beyondThisTest ? null : page.lastKey();
            }
            assertThat(seen).as("limit %d", limit).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c",
                    prefix + "-d", prefix + "-e");
        }
        List<String> all = storage.dataSources().all().stream().map(DataSource::name).toList();
        assertThat(all).isSorted();
        assertThat(all.stream().filter(n -> n.startsWith(prefix))).containsExactly(prefix + "-a", prefix + "-b",
                prefix + "-c", prefix + "-d", prefix + "-e");
        assertThat(storage.dataSources().all()).contains(source(prefix + "-d", 1));
    }
}
