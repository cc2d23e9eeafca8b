package io.annals.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The client sees only core's model and codecs: never the engines, the SPI, the server or the CLI. */
class ClientArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.annals.client");

    @Test
    void clientUsesOnlyTheCoreApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.annals.core.internal..", "io.annals.core.spi..", "io.annals.store..", "io.annals.server..",
                "io.annals.cli..", "io.annals.testkit..")
                .check(classes);
    }

    @Test
    void machineryDoesNotCallBackIntoTheFacade() {
        noClasses().that().resideInAPackage("io.annals.client.internal..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.annals.client.AnnalsClient")
                .check(classes);
    }
}
