/**
 * Keyword spotting: {@link io.tl4j.speech.keyword.KeywordEncoder}, the compact log-mel CNN with the
 * weights tl4j ships. (The corpus of five words it never heard, used by the examples, is {@code
 * io.tl4j.demo.AdaptationWords} in the tl-demo-data artifact.) Depends on io.tl4j.core, Gson (the
 * shipped provenance file) and tl-speech's {@code audio} and {@code features} packages.
 */
package io.tl4j.speech.keyword;
