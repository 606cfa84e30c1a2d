/**
 * Keyword spotting: {@link io.tl4j.speech.keyword.KeywordEncoder}, the compact log-mel CNN with the
 * weights tl4j ships, and {@link io.tl4j.speech.keyword.AdaptationWords}, the vendored corpus of
 * five words the encoder never heard. Depends on io.tl4j.core, Gson (the shipped provenance file)
 * and tl-speech's {@code audio} and {@code features} packages.
 */
package io.tl4j.speech.keyword;
