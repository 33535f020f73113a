package latch.forwardauth;

import latch.http.ApiError;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns the path of a request-target into the one form rules are matched against: query and fragment dropped,
 * percent-decoded once, {@code //} collapsed, dot segments resolved (RFC 3986 §5.2.4). Apps decode and resolve
 * too, so matching the raw text would let {@code /public/../admin} or {@code /%61dmin} slip past an admin rule.
 * Anything whose meaning differs between servers is refused with 400 rather than guessed: control characters
 * (raw or encoded), backslashes (some servers read them as '/'), ';' (servlet containers cut ";params" from each
 * segment), malformed percent-encoding and invalid UTF-8.
 */
public final class PathNormalizer {
    static final int MAX_LENGTH = 8192;

    private PathNormalizer() {}

    /** The normalised path of {@code uri} (a path with optional query), always starting with '/'. */
    public static String normalize(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw bad("The forwarded URI is missing.");
        }
        if (uri.length() > MAX_LENGTH) {
            throw bad("The forwarded URI is too long.");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw bad("The forwarded URI contains a control character.");
            }
        }
        int end = uri.length();
        int q = uri.indexOf('?');
        int h = uri.indexOf('#');
        if (q >= 0) {
            end = q;
        }
        if (h >= 0 && h < end) {
            end = h;
        }
        String raw = uri.substring(0, end);
        if (!raw.startsWith("/")) {
            throw bad("The forwarded URI must start with '/'.");
        }
        String decoded = decode(raw);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw bad("The forwarded URI contains an encoded control character.");
            }
            if (c == '\\') {
                throw bad("The forwarded URI contains a backslash.");
            }
            // Servlet containers cut ";params" from each segment before resolving dots: "/public/..;/admin" is "/admin".
            if (c == ';') {
                throw bad("The forwarded URI's path contains ';' (a path parameter), which servers read differently.");
            }
        }
        return resolveDots(decoded);
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        var bytes = new ByteArrayOutputStream(raw.length());
        byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '%') {
                bytes.write(b);
                continue;
            }
            if (i + 2 >= utf8.length) {
                throw bad("The forwarded URI has malformed percent-encoding.");
            }
            int hi = Character.digit(utf8[i + 1], 16);
            int lo = Character.digit(utf8[i + 2], 16);
            if (hi < 0 || lo < 0) {
                throw bad("The forwarded URI has malformed percent-encoding.");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw bad("The forwarded URI is not valid UTF-8 once decoded.");
        }
    }

    /** Empty segments ({@code //}) and {@code .} vanish, {@code ..} removes one segment and never climbs above '/'. */
    private static String resolveDots(String path) {
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        boolean trailingSlash = false;
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.isEmpty() || s.equals(".")) {
                trailingSlash = last;
                continue;
            }
            if (s.equals("..")) {
                out.pollLast();
                trailingSlash = last;
                continue;
            }
            out.addLast(s);
            trailingSlash = false;
        }
        if (out.isEmpty()) {
            return "/";
        }
        return "/" + String.join("/", out) + (trailingSlash ? "/" : "");
    }

    private static ApiError bad(String message) {
        return ApiError.badRequest("invalid_uri", message);
    }
}
