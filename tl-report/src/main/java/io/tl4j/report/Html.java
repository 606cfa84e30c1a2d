package io.tl4j.report;

/** HTML text escaping for the report. */
final class Html {

    private Html() {}

    /**
     * Escapes text for an HTML element or a quoted attribute.
     *
     * @param text the text
     * @return it with {@code & < > "} escaped
     */
    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
