package latch.http;

/** A refusal as a page for a person who navigated here: the message, escaped, and a way back to signing in. */
final class ProblemPage {
    private static final String TEMPLATE = JarText.read("/web/problem.html");

    private ProblemPage() {}

    static String render(ApiError e) {
        return TEMPLATE.replace("{{code}}", escape(e.code())).replace("{{message}}", escape(e.getMessage()));
    }

    static String escape(String s) {
        var out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
