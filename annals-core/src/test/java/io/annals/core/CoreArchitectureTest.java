package io.annals.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering rules of annals-core: it sees no other annals module and nothing heavier than Jackson and SLF4J. */
class CoreArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.annals.core");

    @Test
    void coreDependsOnNoOtherAnnalsModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.annals.store..", "io.annals.server..", "io.annals.client..", "io.annals.cli..", "io.annals.bench..",
                "io.annals.testkit..")
                .check(classes);
    }

    @Test
    void coreUsesNothingHeavierThanJacksonAndSlf4j() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages(
                "io.annals.core..", "java..", "javax.annotation..", "com.fasterxml.jackson..", "org.slf4j..")
                .check(classes);
    }

    @Test
    void theSpiDoesNotReachIntoMachinery() {
        noClasses().that().resideInAPackage("io.annals.core.spi..")
                .should().dependOnClassesThat().resideInAPackage("io.annals.core.internal..")
                .check(classes);
    }
}
