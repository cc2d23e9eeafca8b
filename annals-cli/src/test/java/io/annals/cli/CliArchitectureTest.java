package io.annals.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The CLI uses the public faces of the other modules: never their machinery, never an engine's classes. */
class CliArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.annals.cli");

    @Test
    void cliSeesNoMachineryOfOtherModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.annals.core.internal..", "io.annals.server.internal..", "io.annals.client.internal..",
                "io.annals.store..", "io.annals.testkit..", "io.annals.bench..")
                .check(classes);
    }
}
