package latch.oidc;

/**
 * What the sign-in page needs to know, public: which ways of signing in are on, the provider's display name,
 * whether to go straight to it, whether anyone may register, and how a forgotten password is reset
 * ({@code email} when mail is set up, else {@code admin}); and for the pages that set a password, the length the
 * policy asks for, so they can say it as it is typed.
 */
public record SignInOptions(boolean passwordLogin, boolean oidcEnabled, String oidcProvider, boolean oidcAutologin,
                            boolean registrationOpen, String passwordReset, int passwordMinLength, int passwordMaxLength) {}
