package dev.intake.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The app as {@code cdk synth} builds it (same context flags from cdk.json, same cdk-nag aspect),
 * synthesized once for all tests. Needs functions/target/*-api.jar and *-workflow.jar, which a reactor
 * {@code mvn verify} packages before infra's tests run.
 */
final class SynthesizedIntake {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Surefire runs in infra/; the sources are found by walking up, as the app does from the root. */
    static final IntakeSources SOURCES = IntakeSources.locate(Path.of(""));

    private static SynthesizedIntake instance;

    final App app;
    final IntakeStack stack;
    /** The parent stack's own template; {@link #view} is the whole app's. */
    final Template template;
    final TemplateView view;

    private SynthesizedIntake() {
        app = newApp("intake");
        stack = IntakeApp.addTo(app, SOURCES);
        template = Template.fromStack(stack);
        view = TemplateView.of(stack);
    }

    static synchronized SynthesizedIntake get() {
        if (instance == null) {
            instance = new SynthesizedIntake();
        }
        return instance;
    }

    /**
     * An app with the context of the repository's cdk.json, as the CDK CLI would give it, writing
     * its assembly under infra/target (not the system temp directory: each holds a copy of the jar).
     */
    static App newApp(String name) {
        return App.Builder.create().context(cdkJsonContext())
                .outdir(Path.of("target", "cdk.out-test", name).toAbsolutePath().toString()).build();
    }

    private static Map<String, Object> cdkJsonContext() {
        try {
            JsonNode cdkJson = MAPPER.readTree(SOURCES.repoRoot().resolve("cdk.json").toFile());
            return MAPPER.convertValue(cdkJson.path("context"), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
