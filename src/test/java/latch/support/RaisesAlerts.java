package latch.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test (method or class) that raises anomaly alerts on purpose: a replay, a burst of wrong passwords, a sign-in
 * from another network. {@link AlertCheck} fails every other test that opens one, so normal use stays alert-free.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Inherited
public @interface RaisesAlerts {
    /** Which alerts, and why the test provokes them. */
    String value();
}
