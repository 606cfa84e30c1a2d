/**
 * Labelled texts from files: {@link io.tl4j.nlp.data.TextData} reads CSV (RFC 4180), TSV and JSON
 * lines into a tl-core {@code LabeledData<String>}, strictly or skipping invalid rows with a report,
 * and every error names the file and line. Depends on the JDK, Gson (JSON lines), SLF4J and
 * tl-core's {@code data} package only; no DJL.
 */
package io.tl4j.nlp.data;
