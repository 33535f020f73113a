package latch.access;

import java.util.List;
import java.util.Optional;

/** Scopes the operator added, and their replacements for the viewer and editor roles' defaults. */
public record ScopeSettings(List<String> extra, Optional<List<String>> viewer, Optional<List<String>> editor) {
    public ScopeSettings {
        extra = List.copyOf(extra);
        viewer = viewer.map(List::copyOf);
        editor = editor.map(List::copyOf);
    }

    public static ScopeSettings defaults() {
        return new ScopeSettings(List.of(), Optional.empty(), Optional.empty());
    }
}
