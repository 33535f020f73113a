package latch.account;

import latch.http.ApiError;
import latch.user.Role;

import java.util.regex.Pattern;

/** The rules every account follows, wherever it is created or changed. */
public final class AccountRules {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final int MAX_NAME = 100;

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

    public static ApiError lastAdmin() {
        return ApiError.conflict("last_admin", "This is the last enabled admin; make someone else an admin first.");
    }
}
