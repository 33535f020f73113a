package latch.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page's text lives in its HTML and its `text-*.js` module, so a translation replaces those and nothing else: no
 * other script under web/assets holds a string literal that reads like page text. The test is a tripwire, not a
 * proof (a lone lower-case word slips through); it catches the usual slip, a sentence or a button label typed inline.
 */
class PageTextTest {
    private static final Path SOURCE = Path.of("web", "assets");
    /** Text and lookup modules themselves: the words are meant to be there. */
    private static final Set<String> TEXT_MODULES = Set.of("scope-words.js", "app-symbols.js");

    /** Starts like a sentence or a label: a capital letter, then a lower-case one ("Sign out", "A code is ..."). */
    private static final Pattern CAPITALISED = Pattern.compile("^\\p{Lu}\\p{Ll}|^\\p{Lu} ");
    /** A word of three letters or more. */
    private static final Pattern LONG_WORD = Pattern.compile("\\p{L}{3,}");
    /** Two words side by side, one of three letters or more: "signed out", "is now". */
    private static final Pattern WORDS = Pattern.compile("\\p{L}+ \\p{L}{3,}|\\p{L}{3,} \\p{L}+");
    /** A busy button's label: "Saving…". */
    private static final Pattern BUSY = Pattern.compile("^\\p{Lu}[\\p{L} ]*…$");
    /** The code just before a literal that lands on the screen as it is. */
    private static final Pattern SLOT = Pattern.compile(
            "(?:\\btext|'aria-label'|\\btitle|\\bplaceholder|\\balt)\\s*:\\s*$|\\.(?:textContent|title|placeholder)\\s*=\\s*$");
    /**
     * The allow-list, kept tiny: messages for developers (the console, a thrown Error a page never shows), which a
     * translator never sees.
     */
    private static final Pattern FOR_DEVELOPERS = Pattern.compile("console\\.\\w+\\(|new Error\\(");

    record Literal(String file, int line, String text, boolean template, String before) {
        @Override
        public String toString() {
            String shown = text.replace("\n", "\\n");
            return file + ":" + line + ": " + (template ? "`" + shown + "`" : "'" + shown + "'");
        }
    }

    @Test
    void scriptsHoldNoPageTextOutsideTheirTextModules() throws IOException {
        var found = new ArrayList<Literal>();
        for (Path script : scripts()) {
            for (Literal literal : literals(script)) {
                if (looksLikePageText(literal)) {
                    found.add(literal);
                }
            }
        }
        assertEquals("", String.join("\n", found.stream().map(Literal::toString).toList()),
                found.size() + " string literals read like page text; move them into the page's text-*.js module");
    }

    @Test
    void theTripwireSeesSentencesLabelsAndBusyWordsButNotCode() {
        assertTrue(looksLikePageText(literal("'Signed out 1 other session.'", "")));
        assertTrue(looksLikePageText(literal("`${name} is now an admin.`", "")));
        assertTrue(looksLikePageText(literal("'Saving…'", "whileBusy(button, ")));
        assertTrue(looksLikePageText(literal("'Copy'", "el('button', { text: ")));
        assertTrue(looksLikePageText(literal("' · linked '", "el('span', { class: 'muted', text: ")));
        for (String code : List.of("'secondary small'", "'Content-Type'", "'application/json'", "`badge ${kind}`",
                "`/api/users/${id}/sessions`", "'input[name=\"icon\"]:checked'", "'POST'", "'ArrowRight'")) {
            assertFalse(looksLikePageText(literal(code, "")), code);
        }
        assertFalse(looksLikePageText(literal("'Could not start the page'", "console.error(")));
    }

    @Test
    void commentsAndRegularExpressionsAreNotReadAsLiterals() {
        var found = literals("test.js", "// Says 'Sign out'\n/* and 'Sign in' */ if (/'x'/.test(a) && b / 2) { f('ok', `${'in'}`); }");
        assertEquals(List.of("ok", "{}", "in"), found.stream().map(Literal::text).toList());
    }

    /** The literal `source` as the scanner reads it after the code `before` on its line. */
    private static Literal literal(String source, String before) {
        var all = literals("test.js", before + source);
        return all.get(all.size() - 1);
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(SOURCE)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".js") && !name.startsWith("text-") && !TEXT_MODULES.contains(name);
            }).sorted().toList();
        }
    }

    static boolean looksLikePageText(Literal literal) {
        String text = literal.text().strip();
        if (FOR_DEVELOPERS.matcher(literal.before()).find() || !text.codePoints().anyMatch(Character::isLetter)) {
            return false;
        }
        boolean capitalised = CAPITALISED.matcher(text).find();
        if (capitalised && text.contains(" ") && LONG_WORD.matcher(text).find()) {
            return true;
        }
        if (BUSY.matcher(text).find()) {
            return true;
        }
        if (SLOT.matcher(literal.before()).find()) {
            return true;
        }
        // Class lists are lower-case words too ("secondary small"), so a plain string needs a capital; a template's
        // sentence often starts with its value ("${name} was deleted.").
        return literal.template() && WORDS.matcher(text).find();
    }

    private static List<Literal> literals(Path script) throws IOException {
        return literals(script.toString(), Files.readString(script, StandardCharsets.UTF_8));
    }

    /**
     * The string and template literals of a script, each with the code before it on its line; a template's `${...}`
     * parts read as "{}", and literals inside them are listed too. Comments and regular expressions are skipped.
     */
    static List<Literal> literals(String file, String source) {
        var out = new ArrayList<Literal>();
        new Scanner(file, source, out).code(0, false);
        return out;
    }

    /** Just enough of a JavaScript lexer for the pages' own scripts. */
    private static final class Scanner {
        private final String file;
        private final String src;
        private final List<Literal> out;
        private int pos;

        Scanner(String file, String src, List<Literal> out) {
            this.file = file;
            this.src = src;
            this.out = out;
        }

        /** Reads code from `from`; inside a template's `${`, stops after the `}` that closes it. */
        void code(int from, boolean inTemplate) {
            pos = from;
            int depth = 0;
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '/' && next() == '/') {
                    int end = src.indexOf('\n', pos);
                    pos = end < 0 ? src.length() : end;
                } else if (c == '/' && next() == '*') {
                    int end = src.indexOf("*/", pos + 2);
                    pos = end < 0 ? src.length() : end + 2;
                } else if (c == '/' && regexCanStart()) {
                    regex();
                } else if (c == '\'' || c == '"') {
                    string(c);
                } else if (c == '`') {
                    template();
                } else if (c == '{') {
                    depth++;
                    pos++;
                } else if (c == '}') {
                    pos++;
                    if (inTemplate && depth-- == 0) {
                        return;
                    }
                } else {
                    pos++;
                }
            }
        }

        private char next() {
            return pos + 1 < src.length() ? src.charAt(pos + 1) : '\0';
        }

        /** A slash after an operator, a bracket or a keyword opens a regular expression; after a value it divides. */
        private boolean regexCanStart() {
            int i = pos - 1;
            while (i >= 0 && Character.isWhitespace(src.charAt(i))) {
                i--;
            }
            if (i < 0) {
                return true;
            }
            char p = src.charAt(i);
            if ("(,=:[!&|?{};+-*%<>~^".indexOf(p) >= 0) {
                return true;
            }
            int end = i + 1;
            while (i >= 0 && Character.isLetter(src.charAt(i))) {
                i--;
            }
            return Set.of("return", "typeof", "case", "in", "of").contains(src.substring(i + 1, end));
        }

        private void regex() {
            pos++;
            boolean inClass = false;
            while (pos < src.length()) {
                char c = src.charAt(pos++);
                if (c == '\\') {
                    pos++;
                } else if (c == '[') {
                    inClass = true;
                } else if (c == ']') {
                    inClass = false;
                } else if (c == '/' && !inClass) {
                    break;
                }
            }
        }

        private void string(char quote) {
            int start = pos++;
            var text = new StringBuilder();
            while (pos < src.length() && src.charAt(pos) != quote) {
                if (src.charAt(pos) == '\\') {
                    text.append(escaped(src.charAt(++pos)));
                    pos++;
                    continue;
                }
                text.append(src.charAt(pos++));
            }
            pos++;
            out.add(new Literal(file, line(start), text.toString(), false, before(start)));
        }

        private void template() {
            int start = pos++;
            var text = new StringBuilder();
            var nested = new ArrayList<Literal>();
            while (pos < src.length() && src.charAt(pos) != '`') {
                char c = src.charAt(pos);
                if (c == '\\') {
                    text.append(escaped(src.charAt(pos + 1)));
                    pos += 2;
                } else if (c == '$' && next() == '{') {
                    text.append("{}");
                    var inner = new Scanner(file, src, nested);
                    inner.code(pos + 2, true);
                    pos = inner.pos;
                } else {
                    text.append(c);
                    pos++;
                }
            }
            pos++;
            out.add(new Literal(file, line(start), text.toString(), true, before(start)));
            out.addAll(nested);
        }

        private static char escaped(char c) {
            return c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }

        private int line(int at) {
            int n = 1;
            for (int i = 0; i < at; i++) {
                if (src.charAt(i) == '\n') {
                    n++;
                }
            }
            return n;
        }

        private String before(int at) {
            int lineStart = src.lastIndexOf('\n', at - 1) + 1;
            return src.substring(lineStart, at);
        }
    }
}
