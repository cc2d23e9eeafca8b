package io.annals.sourcing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.stream.Stream;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** annals-sourcing sits on annals-core's API only; Micrometer stays in the one class that needs it. */
class SourcingArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(java.nio.file.Path.of("target/classes")); // not the class path: scanning its jars is slow

    @Test
    void sourcingSeesOnlyTheCoreApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.annals.core.internal..", "io.annals.core.spi..", "io.annals.store..", "io.annals.server..",
                "io.annals.client..", "io.annals.cli..", "io.annals.bench..", "io.annals.testkit..",
                "io.annals.kafka..")
                .check(classes);
    }

    @Test
    void onlyApiAndInternalPackages() {
        noClasses().should().resideOutsideOfPackages("io.annals.sourcing.api", "io.annals.sourcing.internal")
                .check(classes);
    }

    @Test
    void theApiExposesNoMachinery() {
        methods().that().arePublic().and().areDeclaredInClassesThat().resideInAPackage("io.annals.sourcing.api")
                .should(new ArchCondition<JavaMethod>("take and return no io.annals.sourcing.internal type") {
                    @Override
                    public void check(JavaMethod m, ConditionEvents events) {
                        Stream.concat(Stream.of(m.getRawReturnType()), m.getRawParameterTypes().stream())
                                .filter(t -> t.getPackageName().startsWith("io.annals.sourcing.internal"))
                                .forEach(t -> events.add(SimpleConditionEvent.violated(m,
                                        m.getFullName() + " exposes " + t.getName())));
                    }
                })
                .check(classes);
    }

    @Test
    void micrometerIsOptionalSoOnlyEventMetricsUsesIt() {
        noClasses().that().doNotHaveSimpleName("EventMetrics")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(classes);
    }

    @Test
    void dependenciesAreCoreJacksonCaffeineSlf4jAndMicrometer() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("io.annals.sourcing..",
                "io.annals.core.api..", "java..", "com.fasterxml.jackson..", "com.github.benmanes.caffeine..",
                "org.slf4j..", "io.micrometer..")
                .check(classes);
    }
}
