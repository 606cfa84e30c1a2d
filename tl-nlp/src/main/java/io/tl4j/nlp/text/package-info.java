/**
 * Texts into BERT inputs: WordPiece tokenizers (BERT's own from a {@code vocab.txt}, or a Hugging
 * Face {@code tokenizer.json} run by DJL's tokenizers binding), {@link
 * io.tl4j.nlp.text.TextEncoder} (special tokens, truncation, padding) and the input pipelines for
 * single texts and {@link io.tl4j.nlp.text.TextPair text pairs}. Depends on DJL's API and {@code
 * ai.djl.huggingface:tokenizers}, Gson, SLF4J and io.tl4j.core only.
 */
package io.tl4j.nlp.text;
