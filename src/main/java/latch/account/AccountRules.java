package latch.account;

import latch.http.ApiError;
import latch.user.Role;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** The rules every account follows, wherever it is created or changed. */
public final class AccountRules {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final int MAX_NAME = 100;
    private static final int MAX_NETPLAY_NAME = 32;

    private AccountRules() {}

    /** Usernames: 1-64 characters, letters, digits and . _ @ -, starting with a letter or digit. */
    public static String checkUsername(String username) {
        if (username == null || username.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "The field 'username' is required.");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw ApiError.badRequest("invalid_username",
                    "A username is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.");
        }
        return username;
    }

    public static String checkDisplayName(String name) {
        if (name != null && (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl))) {
            throw ApiError.badRequest("invalid_display_name", "A display name is at most " + MAX_NAME + " characters, without control characters.");
        }
        return name;
    }

    /**
     * A netplay name as it is stored: null (absent: unchanged), "" (back to the username) or the name, trimmed and in
     * NFC, 1 to 32 characters without control or invisible formatting characters (which could make one name look
     * like another's, or reorder what others see).
     */
    public static String checkNetplayUsername(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = Normalizer.normalize(name.strip(), Normalizer.Form.NFC);
        if (trimmed.isEmpty()) {
            return "";
        }
        if (trimmed.codePointCount(0, trimmed.length()) > MAX_NETPLAY_NAME || hasHiddenCharacters(trimmed)) {
            throw ApiError.badRequest("invalid_netplay_username", "A netplay name is 1 to " + MAX_NETPLAY_NAME
                    + " characters, without control or invisible formatting characters; leave it empty to use your username.");
        }
        return trimmed;
    }

    /**
     * Whether {@code text} holds control or invisible formatting characters, which could make one name look like
     * another or reorder the text around it where it is shown.
     */
    public static boolean hasHiddenCharacters(String text) {
        return text.codePoints().anyMatch(AccountRules::hidden);
    }

    private static boolean hidden(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    public static String checkEmail(String email) {
        if (email != null && !email.isEmpty() && !EMAIL.matcher(email).matches()) {
            throw ApiError.badRequest("invalid_email", "That does not look like an email address.");
        }
        return email;
    }

    public static Role parseRole(String role) {
        return Role.parse(role).orElseThrow(() -> ApiError.badRequest("invalid_role", "A role is viewer, editor or admin."));
    }

    public static ApiError usernameTaken() {
        return ApiError.conflict("username_taken", "That username is taken.");
    }

    /** A new username that is already someone's netplay name: two people would answer to one name online. */
    public static ApiError usernameIsANetplayName() {
        return ApiError.conflict("username_taken", "That username is taken: another account uses it as its netplay name.");
    }

    public static ApiError netplayUsernameTaken() {
        return ApiError.conflict("netplay_username_taken", "That netplay name is taken; choose another.");
    }

    /** Going back to the username, when someone else plays under it meanwhile. */
    public static ApiError usernameTakenAsNetplayName() {
        return ApiError.conflict("netplay_username_taken",
                "Another account uses your username as its netplay name; choose a netplay name of your own.");
    }

    public static ApiError lastAdmin() {
        return ApiError.conflict("last_admin", "This is the last enabled admin; make someone else an admin first.");
    }
}
