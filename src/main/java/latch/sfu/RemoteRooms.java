package latch.sfu;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The netplay rooms of other instances that share theirs with this one (federation). Owned here, implemented by
 * the federation feature; it never fails: an instance that does not answer is left out.
 */
public interface RemoteRooms {
    /** One instance's rooms: its issuer, as this instance's registry names it, and the records it answered. */
    record Listing(String issuer, List<ObjectNode> rooms) {}

    List<Listing> rooms();

    RemoteRooms NONE = List::of;
}
