package io.annals.store.cassandra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine sees annals-core's API and SPI only, never its machinery nor another annals module. */
class CassandraArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.annals.store.cassandra");

    @Test
    void theEngineUsesOnlyTheCoreApiAndSpi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.annals.core.internal..", "io.annals.server..", "io.annals.client..", "io.annals.cli..",
                "io.annals.bench..", "io.annals.testkit..", "io.annals.sourcing..", "io.annals.processing..",
                "io.annals.kafka..")
                .check(classes);
    }

    @Test
    void noOtherEngineIsSeen() {
        noClasses().should().dependOnClassesThat(
                com.tngtech.archunit.base.DescribedPredicate.describe("another storage engine",
                        c -> c.getPackageName().startsWith("io.annals.store.")
                                && !c.getPackageName().startsWith("io.annals.store.cassandra")))
                .check(classes);
    }

    @Test
    void onlyTheEngineAndItsProviderArePublic() {
        classes().that().haveModifier(JavaModifier.PUBLIC).and().areTopLevelClasses()
                .should().haveSimpleNameStartingWith("CassandraEngine")
                .check(classes);
    }
}
