package io.annals.kafka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** annals-kafka sees annals-core's public API only, and nothing above it; users import io.annals.kafka.api. */
class KafkaArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(java.nio.file.Path.of("target/classes")); // not the class path: scanning its jars is slow

    @Test
    void onlyTheCoreApiIsUsed() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.annals.core.internal..", "io.annals.core.spi..", "io.annals.store..", "io.annals.server..",
                "io.annals.client..", "io.annals.cli..", "io.annals.bench..", "io.annals.testkit..",
                "io.annals.devservers..", "io.annals.sourcing.internal..")
                .check(classes);
    }

    @Test
    void theApiIsTheRelayAndTheIngest() {
        classes().that().resideInAPackage("io.annals.kafka.api").and().haveModifier(JavaModifier.PUBLIC)
                .and().areTopLevelClasses()
                .should().haveSimpleNameStartingWith("Kafka")
                .check(classes);
    }
}
