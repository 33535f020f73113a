package latch.token;

/**
 * Every kind of JWT Latch issues, each with its own {@code typ} header (RFC 8725 §3.11) so that one can never
 * stand in for another: a token is only ever verified as the type the endpoint expects.
 */
public enum TokenType {
    SESSION("latch-session+jwt"),
    /** OAuth 2.0 access tokens, typed as RFC 9068 prescribes. */
    ACCESS("at+jwt");

    private final String typ;

    TokenType(String typ) {
        this.typ = typ;
    }

    public String typ() {
        return typ;
    }

    /** The type a {@code typ} header names, if any; only a hint for choosing the verifier, never trusted alone. */
    public static java.util.Optional<TokenType> ofTyp(String typ) {
        for (TokenType t : values()) {
            if (t.typ.equals(typ)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
