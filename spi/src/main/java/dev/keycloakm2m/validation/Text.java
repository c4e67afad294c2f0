package dev.keycloakm2m.validation;

/** Character rules shared by the validators. */
public final class Text {

    private Text() {
    }

    public static boolean hasWhitespace(String s) {
        return s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /** C0/C1 control characters, and unpaired surrogates (what broken UTF-8 decodes to). */
    public static boolean hasControlOrBroken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD') return true;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return true;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Length in Unicode code points, as users count characters. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** For messages: at most 80 characters, control characters made visible. */
    public static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        if (length(s) > 80) b.append("…");
        return "\"" + b + "\"";
    }
}
