package io.annals.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The server sees engines only through the SPI and core only through its public packages. */
class ServerArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.annals.server");

    @Test
    void serverNamesNoEngineNorTheModulesAboveIt() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.annals.store..", "io.annals.cli..",
                "io.annals.client..", "io.annals.bench..", "io.annals.testkit..").check(classes);
    }

    @Test
    void serverUsesNoCoreMachinery() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.annals.core.internal..").check(classes);
    }

    @Test
    void publicApiDoesNotLeakJavalin() {
        noClasses().that().resideInAPackage("io.annals.server").and().arePublic()
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
                .because("users of AnnalsServer should not need Javalin or Jetty types")
                .check(classes);
    }
}
