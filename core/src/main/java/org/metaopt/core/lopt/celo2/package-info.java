/**
 * The {@code celo2} learned optimizer (Moudgil et al., ICLR 2026): {@link org.metaopt.core.lopt.celo2.Celo2} (the
 * architecture: θ layout, initial θ, hyperparameters in {@link org.metaopt.core.lopt.celo2.Celo2Config}) and the
 * optimizer it creates, a per-parameter MLP over Adafactor-style features whose direction is orthogonalized per
 * weight matrix by {@link org.metaopt.core.kernel.NewtonSchulz} and normalized to RMS 1, with an Adam-like branch
 * for vectors.
 */
package org.metaopt.core.lopt.celo2;
