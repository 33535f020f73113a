package latch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape STYLE.md describes, checked on every build: features are packages that form no cycle, a controller
 * never calls another controller, services know nothing of HTTP, and nothing below the root imports it (only the
 * composition root, {@code Main}, {@code App} and their helpers, sees every feature).
 */
class ArchitectureTest {
    private static JavaClasses latch;

    @BeforeAll
    static void importTheProduct() {
        latch = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("latch");
    }

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching("latch.(*)..").should().beFreeOfCycles().check(latch);
    }

    @Test
    void noControllerCallsAnotherController() {
        classes().that().haveSimpleNameEndingWith("Controller").should(dependOnNoOtherController()).check(latch);
    }

    @Test
    void servicesKnowNothingOfHttpFrameworks() {
        noClasses().that().haveSimpleNameEndingWith("Service").should().dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..").check(latch);
    }

    @Test
    void nothingBelowTheRootImportsIt() {
        noClasses().that().resideInAPackage("latch.*..").should().dependOnClassesThat().resideInAPackage("latch").check(latch);
    }

    private static ArchCondition<JavaClass> dependOnNoOtherController() {
        DescribedPredicate<JavaClass> otherController = DescribedPredicate.describe("another controller",
                c -> c.getSimpleName().endsWith("Controller"));
        return new ArchCondition<>("depend on no other controller") {
            @Override
            public void check(JavaClass controller, ConditionEvents events) {
                controller.getDirectDependenciesFromSelf().stream()
                        .filter(d -> !d.getTargetClass().equals(controller) && otherController.test(d.getTargetClass()))
                        .forEach(d -> events.add(SimpleConditionEvent.violated(d, d.getDescription())));
            }
        };
    }
}
