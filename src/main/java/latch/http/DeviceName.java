package latch.http;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * "Firefox on Windows" from a user agent, in the words the pages' {@code describeAgent} (web/assets/ui.js) uses, so
 * the audit log names a device the way its owner saw it on the sessions list. Good enough to recognise your own
 * devices; never used for a security decision.
 */
public final class DeviceName {
    public static final String UNKNOWN = "Unknown device";
    private static final int MAX_PROGRAM = 40;

    // Order matters, as in ui.js: Edge and Opera also say Chrome, Chrome also says Safari.
    private static final List<Map.Entry<Pattern, String>> BROWSERS = List.of(
            Map.entry(Pattern.compile("Edg(A|iOS)?/"), "Edge"),
            Map.entry(Pattern.compile("OPR/"), "Opera"),
            Map.entry(Pattern.compile("Firefox/|FxiOS/"), "Firefox"),
            Map.entry(Pattern.compile("Chrom(e|ium)/|CriOS/"), "Chrome"),
            Map.entry(Pattern.compile("Version/[\\d.]+.*Safari/"), "Safari"));
    private static final List<Map.Entry<Pattern, String>> SYSTEMS = List.of(
            Map.entry(Pattern.compile("Windows"), "Windows"),
            Map.entry(Pattern.compile("Android"), "Android"),
            Map.entry(Pattern.compile("iPhone|iPad|iPod"), "iOS"),
            Map.entry(Pattern.compile("CrOS"), "ChromeOS"),
            Map.entry(Pattern.compile("Mac OS X|Macintosh"), "macOS"),
            Map.entry(Pattern.compile("Linux|X11"), "Linux"));
    private static final Pattern PROGRAM_END = Pattern.compile("[\\s;(]");

    private DeviceName() {}

    public static String of(String userAgent) {
        String ua = userAgent == null ? "" : userAgent.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (ua.isEmpty()) {
            return UNKNOWN;
        }
        String browser = first(BROWSERS, ua);
        if (browser == null) {
            // A program rather than a browser (curl, an SDK): its own first word says most.
            String program = PROGRAM_END.split(ua, 2)[0];
            program = program.length() > MAX_PROGRAM ? program.substring(0, MAX_PROGRAM) : program;
            return program.isEmpty() ? UNKNOWN : program;
        }
        String system = first(SYSTEMS, ua);
        return system == null ? browser : browser + " on " + system;
    }

    private static String first(List<Map.Entry<Pattern, String>> patterns, String ua) {
        for (var p : patterns) {
            if (p.getKey().matcher(ua).find()) {
                return p.getValue();
            }
        }
        return null;
    }
}
