package latch.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that starts its own PostgreSQL databases (through {@link PostgresServer}) whichever database the run
 * plays the suite against: the PostgreSQL run leaves it out, as it would only repeat it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("postgres-always")
public @interface OnPostgresAlways {
}
