package latch.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;

/**
 * Normal use raises no alerts: after each test, any anomaly alert a {@link TestLatch} opened fails it, unless the
 * test or its class is marked {@link RaisesAlerts}. Registered for every test through the service loader
 * ({@code META-INF/services}, with extension autodetection on in {@code junit-platform.properties}).
 */
public final class AlertCheck implements AfterEachCallback, AfterAllCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        judge(context, RaisedAlerts.drain(), "this test (or its class's setup before it)");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> raised = RaisedAlerts.drain();
        if (context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty()) {
            RaisedAlerts.forgetDatabases(); // a top-level class is done with its servers
        }
        judge(context, raised, "this class's setup or teardown");
    }

    private static void judge(ExtensionContext context, List<String> raised, String where) {
        if (raised.isEmpty() || onPurpose(context)) {
            return;
        }
        throw new AssertionError("Alerts opened by " + where + ", which is not marked @RaisesAlerts:\n  - "
                + String.join("\n  - ", raised)
                + "\nNormal use raises none; mark a test that provokes them on purpose with @RaisesAlerts(\"why\").");
    }

    /** The test method, its class or a class around it (for nested tests) is marked. */
    private static boolean onPurpose(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (marked(c.get().getElement())) {
                return true;
            }
        }
        return false;
    }

    private static boolean marked(Optional<AnnotatedElement> element) {
        return element.map(e -> AnnotationSupport.isAnnotated(e, RaisesAlerts.class)).orElse(false);
    }
}
