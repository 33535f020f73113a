package latch.forwardauth;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A path pattern of a rule: a glob ({@code *} within one segment, {@code **} across segments; a trailing
 * {@code /**} also matches the bare prefix) or, when written {@code ^...}, a Java regular expression.
 * Matched against the whole normalised path, case-sensitively, as servers treat paths.
 */
public record PathPattern(String source, Pattern regex) {

    /** Throws IllegalArgumentException with a sentence saying what is wrong. */
    public static PathPattern of(String source) {
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("a path pattern is empty");
        }
        if (source.startsWith("^")) {
            try {
                return new PathPattern(source, Pattern.compile(source));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + source + "' is not a valid regular expression: " + e.getDescription());
            }
        }
        if (!source.startsWith("/")) {
            throw new IllegalArgumentException("'" + source + "' must start with '/' (a glob) or '^' (a regular expression)");
        }
        return new PathPattern(source, Pattern.compile(globToRegex(source)));
    }

    public boolean matches(String normalizedPath) {
        return regex.matcher(normalizedPath).matches();
    }

    private static String globToRegex(String glob) {
        var out = new StringBuilder();
        var literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c != '*') {
                literal.append(c);
                i++;
                continue;
            }
            boolean doubleStar = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
            if (doubleStar && i + 2 == glob.length() && literal.length() > 0 && literal.charAt(literal.length() - 1) == '/') {
                literal.setLength(literal.length() - 1);
                flush(out, literal);
                out.append("(?:/.*)?");
                i += 2;
                continue;
            }
            flush(out, literal);
            out.append(doubleStar ? ".*" : "[^/]*");
            i += doubleStar ? 2 : 1;
            while (i < glob.length() && glob.charAt(i) == '*') {
                i++;
            }
        }
        flush(out, literal);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder literal) {
        if (literal.length() > 0) {
            out.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }
}
