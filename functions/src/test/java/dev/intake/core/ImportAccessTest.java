package dev.intake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImportAccessTest {
    static final String READER = "arn:aws:iam::123456789012:role/reader";
    /** The landing bucket, one folder of another bucket, one role. */
    private final ImportAccess access = ImportAccess.parse("s3://landing/, s3://shared/data/", READER);

    private void allowed(String location, String role) {
        assertThatCode(() -> access.check(DataLocation.parse(location), role)).as(location + " as " + role)
                .doesNotThrowAnyException();
    }

    /** Refused as the caller sees it: an IntakeException of kind ACCESS_DENIED (a 400 in every dialect). */
    private void refused(String location, String role, String message) {
        assertThatThrownBy(() -> access.check(DataLocation.parse(location), role)).as(location + " as " + role)
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ACCESS_DENIED))
                .hasMessageContaining(message);
    }

    @Test
    void allowsWhatTheSourcesHoldAsIntakeOrAListedRole() {
        allowed("s3://landing/x.csv", null);
        allowed("s3://landing", null);
        allowed("s3://landing/", null);
        allowed("s3://landing/deep/er/folder/", null);
        allowed("s3://shared/data/", null);
        allowed("s3://shared/data/x.csv", READER);
        allowed("s3://shared/data/sub/", READER);
        allowed("s3://shared/data/...csv", null); // "..." is a name, not a segment that climbs
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "s3://shared/database/x.csv",       // a sibling sharing the folder's first letters
            "s3://shared/data",                 // the object named like the folder, not in it
            "s3://shared/datax/",
            "s3://shared/Data/x.csv",           // keys are case-sensitive
            "s3://shared/",                     // the rest of the bucket
            "s3://shared",
            "s3://shared/other/data/x.csv",
            "s3://shared/data%2F..%2Fsecret",   // a literal key, not under data/
            "s3://landing-evil/x.csv",          // a bucket whose name starts with an allowed one
            "s3://landin/x.csv",
            "s3://landing.evil/x.csv",
            "s3://evil-landing/x.csv",
            "s3://other/data/x.csv"})
    void refusesLocationsOutsideTheSourcesNamingBucketKeyAndSetting(String location) {
        DataLocation parsed = DataLocation.parse(location);
        refused(location, null, "Imports of this deployment may not read " + parsed.uri() + ": no allowed import source "
                + "holds bucket '" + parsed.bucket() + "', key '" + parsed.key() + "'. An operator can allow the bucket or "
                + "a folder of it with the importSources setting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://shared/data/../secret/x.csv", "s3://shared/data/..", "s3://landing/./x.csv",
            "s3://landing/a/./", "s3://landing/../other-bucket/x"})
    void refusesDotSegmentsEvenUnderAnAllowedFolder(String location) {
        refused(location, null, "has a '.' or '..' segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://LANDING/x.csv", "s3://Landing/x.csv", "s3://evil@landing/x.csv", "s3://landing:443/x"})
    void bucketsThatAreNotLowercaseBucketNamesAreInvalidBeforeAnyMatch(String location) {
        assertThatThrownBy(() -> access.check(DataLocation.parse(location), null))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageStartingWith("dataLocation names an invalid bucket");
    }

    @Test
    void refusesRolesNotListedCharacterForCharacter() {
        for (String role : List.of("arn:aws:iam::123456789012:role/reader2", "arn:aws:iam::123456789012:role/Reader",
                "arn:aws:iam::123456789012:role/path/reader", "arn:aws:iam::210987654321:role/reader",
                "arn:aws-cn:iam::123456789012:role/reader")) {
            refused("s3://landing/x.csv", role, "Import jobs of this deployment may not use the role " + role
                    + ". An operator can allow it with the importRoleArns setting");
        }
    }

    @Test
    void byDefaultNoRoleAndNoSource() {
        assertThat(ImportAccess.parse(null, null)).isEqualTo(ImportAccess.NONE);
        assertThat(ImportAccess.fromEnvironment(java.util.Map.of())).isEqualTo(ImportAccess.NONE);
        assertThatThrownBy(() -> ImportAccess.NONE.check(DataLocation.parse("s3://landing/x.csv"), null))
                .hasMessageContaining("may not read s3://landing/x.csv");
        ImportAccess landingOnly = ImportAccess.parse("s3://landing/", "");
        assertThatThrownBy(() -> landingOnly.check(DataLocation.parse("s3://landing/x.csv"), READER))
                .hasMessageContaining("may not use the role " + READER);
    }

    @Test
    void readsTheEnvironmentsVariables() {
        ImportAccess fromEnv = ImportAccess.fromEnvironment(java.util.Map.of("IMPORT_SOURCES", "s3://bucket-a/,s3://bucket-b/in/",
                "IMPORT_ROLE_ARNS", READER + ",arn:aws:iam::123456789012:role/other"));
        assertThat(fromEnv.sources()).containsExactly(new ImportAccess.Source("bucket-a", ""),
                new ImportAccess.Source("bucket-b", "in/"));
        assertThat(fromEnv.roleArns()).containsExactly(READER, "arn:aws:iam::123456789012:role/other");
        assertThat(fromEnv.sourcesValue()).isEqualTo("s3://bucket-a/,s3://bucket-b/in/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "s3://shared/data",            // a folder must end in a slash: no "data" matching "database"
            "s3://shared/*",
            "s3://shared/da*ta/",
            "s3://shared/da?a/",
            "s3://shared/${aws:username}/",
            "s3://shared//",
            "s3://shared/a//b/",
            "s3://shared/a/../b/",
            "s3://shared/./",
            "s3://Shared/",
            "s3://sh/",
            "https://shared/",
            "shared",
            "s3://shared/with space/"})
    void refusesSourcesThatAreNotAWholeBucketOrAPlainFolder(String entry) {
        assertThatThrownBy(() -> ImportAccess.parse(entry, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFolderWithoutItsSlashSaysHowToWriteIt() {
        assertThatThrownBy(() -> ImportAccess.Source.parse("s3://shared/data"))
                .hasMessage("s3://shared/data is not a folder: end it with a slash (s3://shared/data/) to allow the objects"
                        + " under it, or name the whole bucket (s3://shared/)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:role/reader", "*", "reader",
            "arn:aws:iam::123456789012:user/reader", "arn:aws:s3:::bucket"})
    void refusesRoleEntriesThatAreNotOneRolesArn(String entry) {
        assertThatThrownBy(() -> ImportAccess.parse("s3://landing/", entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an IAM role ARN");
    }

    @Test
    void emptyEntriesAreMistakes() {
        assertThatThrownBy(() -> ImportAccess.parse("s3://bucket-a/,,s3://bucket-b/", "")).hasMessageContaining("has an empty entry");
    }
}
