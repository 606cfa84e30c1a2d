/**
 * One runnable {@code main} per use case, needing no arguments: quick starts for core,
 * vision, NLP and speech transfer learning, and the programs that pretrained the backbones tl-vision
 * and tl-speech ship. Depends on every tl4j library module, tl-demo-data (the demo data sets), DJL's
 * API and Gson; no library module depends on it.
 */
package io.tl4j.examples;
