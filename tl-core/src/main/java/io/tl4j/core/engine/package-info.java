/**
 * Configures the native engine from inside the process, before libtorch first runs, and ends the
 * process before libtorch's static destructors can crash it: {@link
 * io.tl4j.core.engine.EngineSetup} caps oneDNN at AVX2 on CPUs where its AVX-512 convolution
 * backward was seen wrong, and tunes glibc's malloc for libtorch's large arrays, so that a plain
 * {@code java} run or an IDE run needs no environment variables. {@link
 * io.tl4j.core.engine.EngineSettings} decides, as a pure function of an {@link
 * io.tl4j.core.engine.EngineEnvironment}, which settings apply and why. Depends on JNA (which DJL
 * ships) and SLF4J; never on DJL's engine.
 */
package io.tl4j.core.engine;
