package latch.web;

import latch.access.ScopeCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scope cannot land without words: web/assets/scope-words.js has a sentence for every scope the catalogue ships. */
class ScopeWordsTest {
    private static final Path WORDS = Path.of("web", "assets", "scope-words.js");
    /** A key of the words table: `'roms.user.write': 'Save your own …'`. */
    private static final Pattern ENTRY = Pattern.compile("(?m)^\\s*'([a-z0-9_.:-]+)':\\s*'([^']+)'");

    @Test
    void everyDefaultScopeHasASentenceAndNoSentenceNamesAScopeThatIsGone() throws IOException {
        var m = ENTRY.matcher(Files.readString(WORDS, StandardCharsets.UTF_8));
        var worded = new TreeSet<String>();
        while (m.find()) {
            assertTrue(worded.add(m.group(1)), m.group(1) + " has words twice");
            assertTrue(m.group(2).length() >= 10, m.group(1) + ": '" + m.group(2) + "' is not a sentence");
        }
        var missing = new TreeSet<>(ScopeCatalog.DEFAULT_SCOPES);
        missing.removeAll(worded);
        assertEquals(new TreeSet<String>(), missing, "scopes without words in " + WORDS);
        var stale = new TreeSet<>(worded);
        stale.removeAll(ScopeCatalog.DEFAULT_SCOPES);
        assertEquals(new TreeSet<String>(), stale, "words for scopes the catalogue no longer has");
    }
}
