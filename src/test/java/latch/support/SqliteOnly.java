package latch.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of something only the SQLite file has (the file's permissions, its pragmas, whole-file backups): the run
 * against PostgreSQL leaves it out, and {@link #value()} says why. PostgreSQL's counterpart is tested on its own.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("sqlite-only")
public @interface SqliteOnly {
    /** Why the behaviour belongs to the SQLite file alone. */
    String value();
}
