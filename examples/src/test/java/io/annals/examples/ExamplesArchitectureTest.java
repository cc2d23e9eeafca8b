package io.annals.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The examples show what users may write: they use the public APIs of annals-sourcing and annals-core only (and
 * Jackson's JSON tree, which upcasters are given).
 */
class ExamplesArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes")); // not the class path: scanning its jars is slow

    @Test
    void examplesUseOnlyThePublicApis() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("io.annals.examples..",
                        "io.annals.sourcing.api..", "io.annals.core.api..", "com.fasterxml.jackson.databind.node..", "java..")
                .check(classes);
    }
}
