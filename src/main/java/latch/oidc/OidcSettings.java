package latch.oidc;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Sign-in through an external OpenID provider, with the ROM manager's variable names. {@code issuer} is
 * OIDC_SERVER_APPLICATION_URL exactly as the provider's discovery document must state it; {@code redirectUri} is
 * where the provider sends the browser back ({@code /api/oauth/openid}). The role lists hold the claim values that
 * make someone an admin, editor or viewer; with no {@code roleClaim} roles are Latch's own.
 */
public record OidcSettings(boolean enabled, String provider, String clientId, Optional<String> clientSecret, URI issuer,
                           URI redirectUri, boolean autologin, List<String> scopes, boolean allowRegistration,
                           boolean linkByEmail, String usernameClaim, Optional<String> roleClaim, List<String> roleAdmin,
                           List<String> roleEditor, List<String> roleViewer, boolean rpInitiatedLogout, boolean allowHs256) {

    public static final String CALLBACK_PATH = "/api/oauth/openid";

    public static OidcSettings off() {
        return new OidcSettings(false, "", "", Optional.empty(), null, null, false, List.of("openid", "profile", "email"),
                false, false, "preferred_username", Optional.empty(), List.of(), List.of(), List.of(), false, false);
    }

    public OidcSettings {
        scopes = List.copyOf(scopes);
        roleAdmin = List.copyOf(roleAdmin);
        roleEditor = List.copyOf(roleEditor);
        roleViewer = List.copyOf(roleViewer);
    }

    @Override
    public String toString() {
        // The record's own toString would print the client secret.
        return "OidcSettings[enabled=" + enabled + ", provider=" + provider + ", issuer=" + issuer + "]";
    }
}
