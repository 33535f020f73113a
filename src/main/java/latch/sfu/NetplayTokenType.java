package latch.sfu;

import java.util.Optional;

/**
 * The two netplay tokens: read (list rooms; checked by signature and claims alone) and write (open or join a room;
 * one-time). Names as the ROM manager has them: {@code token_type} "read"/"write", claim {@code type} "sfu:read"/"sfu:write".
 */
public enum NetplayTokenType {
    READ("read", "sfu:read", "sfu.read"),
    WRITE("write", "sfu:write", "sfu.write");

    private final String wireName;
    private final String claim;
    private final String scope;

    NetplayTokenType(String wireName, String claim, String scope) {
        this.wireName = wireName;
        this.claim = claim;
        this.scope = scope;
    }

    public String claim() {
        return claim;
    }

    /** The scope a caller needs to mint this type. */
    public String scope() {
        return scope;
    }

    /** The type a mint request names; "read" when it names none. */
    static Optional<NetplayTokenType> requested(String tokenType) {
        if (tokenType == null) {
            return Optional.of(READ);
        }
        for (NetplayTokenType t : values()) {
            if (t.wireName.equals(tokenType)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type a token's {@code type} claim names, if it is one of these. */
    static Optional<NetplayTokenType> ofClaim(String claim) {
        for (NetplayTokenType t : values()) {
            if (t.claim.equals(claim)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
