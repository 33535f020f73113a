package latch.clienttoken;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EffectiveScopesTest {
    private static final Set<String> EDITOR = Set.of("me.read", "roms.read", "roms.write");

    @Test
    void aTokenWithinItsOwnersScopesKeepsThemAllAsTheSameSet() {
        Set<String> granted = Set.of("roms.read", "me.read");
        assertSame(granted, ClientTokenService.effective(granted, EDITOR));
    }

    @Test
    void scopesTheOwnerNoLongerHoldsAreDroppedAndTheResultCannotBeChanged() {
        Set<String> granted = Set.of("roms.read", "users.write");
        Set<String> effective = ClientTokenService.effective(granted, EDITOR);
        assertEquals(Set.of("roms.read"), effective);
        assertThrows(UnsupportedOperationException.class, () -> effective.add("users.write"));
        assertEquals(Set.of(), ClientTokenService.effective(Set.of("users.write"), EDITOR));
    }
}
