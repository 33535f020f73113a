package latch.token;

/**
 * Every kind of JWT Latch issues, each with its own {@code typ} header (RFC 8725 §3.11) so that one can never
 * stand in for another: a token is only ever verified as the type the endpoint expects.
 */
public enum TokenType {
    SESSION("latch-session+jwt");

    private final String typ;

    TokenType(String typ) {
        this.typ = typ;
    }

    public String typ() {
        return typ;
    }
}
