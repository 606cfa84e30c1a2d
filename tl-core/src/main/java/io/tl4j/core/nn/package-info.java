/**
 * Building blocks of networks shared by every domain module: {@link io.tl4j.core.nn.LayeredBlock}
 * (named layers, run by range) and {@link io.tl4j.core.nn.Scalars} (array-number arithmetic that
 * stays valid in a backward pass). Depends on DJL's API only.
 */
package io.tl4j.core.nn;
