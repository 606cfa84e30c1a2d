/**
 * LoRA (Hu et al., 2021): trainable low-rank updates on chosen linear layers of a frozen backbone.
 * {@link io.tl4j.core.lora.Lora#adapt} returns a backbone whose named linear layers carry {@code
 * lora_A} and {@code lora_B}; {@link io.tl4j.core.TransferLearner} then trains only those and the
 * head, and {@link io.tl4j.core.LoraAdapter} saves and loads what was trained apart from the base
 * weights, with a copy of the base per task or many tasks over one loaded base ({@link
 * io.tl4j.core.lora.Lora#sharingBase}).
 */
package io.tl4j.core.lora;
