package latch.web;

import latch.audit.AuditType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An audit event cannot land without words: the events table shows a raw code for a type text-events.js does not
 * name, as several types once did.
 */
class EventLabelsTest {
    private static final Path TEXT = Path.of("web", "assets", "text-events.js");
    /** One line of the labels table: `  sign_in: 'Signed in',`. */
    private static final Pattern LABEL = Pattern.compile("(?m)^\\s{2}([a-z_]+):\\s*'([^']+)',$");

    @Test
    void everyAuditTypeHasWordsAndNoWordsNameATypeThatIsGone() throws IOException {
        var text = Files.readString(TEXT, StandardCharsets.UTF_8);
        var table = text.substring(text.indexOf("const EVENT_LABELS"), text.indexOf("};"));
        var m = LABEL.matcher(table);
        var labelled = new TreeSet<String>();
        while (m.find()) {
            assertTrue(labelled.add(m.group(1)), m.group(1) + " has words twice");
        }
        var types = new TreeSet<String>();
        Arrays.stream(AuditType.values()).map(AuditType::wireName).forEach(types::add);
        var missing = new TreeSet<>(types);
        missing.removeAll(labelled);
        assertEquals(new TreeSet<String>(), missing, "audit types without words in " + TEXT);
        var stale = new TreeSet<>(labelled);
        stale.removeAll(types);
        assertEquals(new TreeSet<String>(), stale, "words for audit types Latch no longer records");
    }
}
