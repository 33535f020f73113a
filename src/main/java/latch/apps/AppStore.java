package latch.apps;

import latch.db.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The launcher's apps at rest. Every change is one statement, so two admins (or nodes) cannot pass one limit both. */
public interface AppStore {
    /** What a change sets; a null field stays as it is. {@code symbol} set drops an uploaded image. */
    record Edit(String name, String url, String symbol, boolean setsScope, String requiredScope) {
        boolean isEmpty() {
            return name == null && url == null && symbol == null && !setsScope;
        }
    }

    /** Every app in the launcher's order. */
    List<AppEntry> all();

    Optional<AppEntry> find(Tx tx, long id);

    /** Adds {@code app} (its id and position ignored) at the end; empty when there are {@code max} apps already. */
    Optional<AppEntry> add(Tx tx, AppEntry app, int max);

    /** Applies {@code edit}; false when there is no app with that id. */
    boolean update(Tx tx, long id, Edit edit, Instant at);

    /** Moves the app to {@code place} (1 the first, past the end the last), the others closing up; false when it is gone. */
    boolean move(Tx tx, long id, long place, Instant at);

    /** Replaces the app's icon by {@code image}; false when there is no app with that id. */
    boolean setImage(Tx tx, long id, IconImage image, Instant at);

    /** Removes the app; its name, or empty when there is none with that id. */
    Optional<String> delete(Tx tx, long id);

    /** The uploaded icon of the app and the scope that app needs (null: none); empty when it has no uploaded icon. */
    Optional<StoredIcon> image(long id);

    record StoredIcon(IconImage image, String requiredScope) {}
}
