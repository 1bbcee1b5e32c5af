package dev.intake.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.StackProps;

class IntakeSourcesTest {
    @Test
    void findsTheRepositoryFromTheInfraModuleAndFromItsRoot() {
        IntakeSources fromInfra = IntakeSources.locate(Path.of(""));
        IntakeSources fromRoot = IntakeSources.locate(fromInfra.repoRoot());

        assertThat(fromRoot).isEqualTo(fromInfra);
        assertThat(fromInfra.stateMachineDefinition()).isRegularFile();
        assertThat(fromInfra.apiJar().toString()).matches(".*/functions/target/intake-functions-.+-api\\.jar");
        assertThat(fromInfra.workflowJar().toString()).matches(".*/functions/target/intake-functions-.+-workflow\\.jar");
    }

    @Test
    void saysWhereToRunTheAppWhenThereIsNoRepository(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> IntakeSources.locate(elsewhere))
                .hasMessageContaining("statemachine/import-job.asl.json");
    }

    @Test
    void theStackSaysHowToBuildAMissingJar(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("statemachine"));
        Files.writeString(repo.resolve(IntakeSources.STATE_MACHINE_FILE), "{}");
        IntakeSources sources = new IntakeSources(repo, repo.resolve("functions/target/missing-api.jar"),
                repo.resolve("functions/target/missing-workflow.jar"), repo.resolve(IntakeSources.STATE_MACHINE_FILE));

        assertThatThrownBy(() -> new IntakeStack(SynthesizedIntake.newApp("missing-jar"), "IntakeStack", StackProps.builder().build(), sources))
                .hasMessageContaining("run mvn -B package first");
    }
}
