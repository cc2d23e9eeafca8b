package io.annals.devservers;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.annals.devservers.internal.ChildMain;
import org.junit.jupiter.api.Test;

/** annals-devservers runs on the JDK alone, and the child's main class stands alone. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.annals.devservers");

    @Test
    void mainCodeUsesTheJdkOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.annals.devservers..")
                .check(MAIN);
    }

    @Test
    void childMainIsOneClassFileThatNeedsOnlyTheJdk() {
        // It is copied alone next to the server's jars.
        classes().that().belongToAnyOf(ChildMain.class).should()
                .onlyDependOnClassesThat(resideInAnyPackage("java..").or(equivalentTo(ChildMain.class)))
                .check(MAIN);
        assertThat(MAIN.stream().map(c -> c.getName())).noneMatch(name -> name.startsWith(ChildMain.class.getName() + "$"));
    }

    @Test
    void internalsUseNoApiClassButTheException() {
        noClasses().that().resideInAPackage("..internal..").should()
                .dependOnClassesThat(resideInAPackage("io.annals.devservers").and(not(equivalentTo(DevServerException.class))))
                .check(MAIN);
    }
}
