package latch.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IP range such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a range of one. */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length");
            }
        }
        return new Cidr(bytes, prefix, text);
    }

    /**
     * The address bytes of an IP literal, or null: never a DNS lookup, whatever the input. IPv4 is a dotted quad
     * of decimal parts 0-255 without leading zeros (which some parsers read as octal), parsed here; only text
     * with a colon reaches the JDK, in brackets, where it is an IPv6 literal or refused.
     */
    public static byte[] literal(String address) {
        if (address == null || address.isEmpty() || address.length() > 45) {
            return null;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (a.indexOf(':') < 0) {
            return dottedQuad(a);
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        if (a.indexOf('.') >= 0 && dottedQuad(a.substring(a.lastIndexOf(':') + 1)) == null) {
            return null; // an embedded IPv4 part (::ffff:a.b.c.d) follows the same rule as a plain one
        }
        try {
            // Brackets make the JDK read an IPv6 literal or throw: unbracketed, text such as ".1::" is looked up.
            return mapped(InetAddress.getByName("[" + a + "]").getAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Four decimal parts 0-255 without leading zeros (an "010" is octal to some parsers and decimal to others). */
    private static byte[] dottedQuad(String a) {
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /**
     * An address in the form people read (RFC 5952: brackets dropped, IPv6 lower-case with the longest run of
     * zero groups shortened to "::", IPv4-mapped addresses as plain IPv4); anything else is returned unchanged.
     */
    public static String canonical(String address) {
        byte[] bytes = literal(address);
        return bytes == null ? address : format(bytes);
    }

    /** An address's bytes as {@link #canonical} writes them. */
    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            sb.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /**
     * The block one subscriber holds: an IPv4 address itself (also written ::ffff:a.b.c.d), an IPv6 address's
     * /64, as "2001:db8:1:2::/64" (RFC 6177: a home or a host is handed a /64 or more, so a /128 each is free).
     * Anything that is not an address is returned unchanged.
     */
    public static String subscriberBlock(String address) {
        byte[] bytes = literal(address);
        if (bytes == null || bytes.length == 4) {
            return canonical(address);
        }
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return format(bytes) + "/64";
    }

    public boolean contains(String address) {
        byte[] candidate = literal(address);
        return candidate != null && contains(candidate);
    }

    boolean contains(byte[] candidate) {
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) compare as the IPv4 address they carry. */
    private static byte[] mapped(byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            if (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
                return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return text;
    }
}
