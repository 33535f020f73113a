package latch.password;

import latch.http.ApiError;

/**
 * Length rules for passwords, checked before any hashing so an oversized password costs nothing.
 * Passwords are used exactly as received: no trimming, no truncation, no normalisation.
 */
public final class PasswordPolicy {
    private final int min;
    private final int max;

    public PasswordPolicy(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** For a password being set: both bounds. */
    public void checkNew(String password, String field) {
        if (password == null || password.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "The field '" + field + "' is required.");
        }
        int length = password.codePointCount(0, password.length());
        if (length < min) {
            throw ApiError.badRequest("password_too_short", "The password must be at least " + min + " characters.");
        }
        checkLength(password);
    }

    /** For a password being verified: only the upper bound, so no Argon2 work is spent on a flood of huge inputs. */
    public void checkLength(String password) {
        if (password.length() > max * 2 || password.codePointCount(0, password.length()) > max) {
            throw ApiError.badRequest("password_too_long", "The password must be at most " + max + " characters.");
        }
    }

    public int min() { return min; }
    public int max() { return max; }
}
