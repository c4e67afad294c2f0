package dev.keycloakm2m.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Character rules shared by the validators. */
public final class Text {

    private Text() {
    }

    /**
     * Control characters, the Unicode category Cc: C0 (U+0000 to U+001F, including TAB, LF and CR), DEL (U+007F) and
     * C1 (U+0080 to U+009F). The same set on the token endpoint and in every M2M write.
     */
    public static boolean hasControl(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) return true;
        }
        return false;
    }

    /**
     * The first check of every entity's validation routine: every text field of a write, control characters refused
     * with 400 naming the field, before anything trims or compares the value (so {@code "rfc\u0000"} is never read
     * as {@code "rfc"}).
     */
    public static ControlCheck controlCheck() {
        return new ControlCheck();
    }

    /** Collects the text fields of one write; {@link #refuse()} throws when any holds a control character. */
    public static final class ControlCheck {
        private final List<Problem> problems = new ArrayList<>();

        private ControlCheck() {
        }

        public ControlCheck text(String field, String value) {
            if (hasControl(value)) {
                problems.add(Problem.invalid(field, field + " must not contain control characters: " + quote(value)));
            }
            return this;
        }

        public ControlCheck texts(String field, Collection<String> values) {
            if (values != null) {
                for (String v : values) text(field, v);
            }
            return this;
        }

        /** @throws ValidationException with one 400 problem per value holding a control character */
        public void refuse() {
            if (!problems.isEmpty()) throw new ValidationException(problems);
        }
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

    /**
     * For messages that quote request input whole: control characters and unpaired surrogates (which cannot even be
     * written as JSON text) shown escaped, as {@code \u0000}; everything else as is.
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
