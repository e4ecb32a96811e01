package org.metaopt.core.data;

import org.metaopt.core.UserError;

/**
 * How raw 28x28 images become features: the side length after average pooling (28 keeps them, 14 pools
 * 2x2 blocks, 7 pools 4x4 blocks) and the pixel normalization. Immutable; thread-safe.
 */
public record ImageOptions(int imageSize, Normalization normalization) {

  public ImageOptions {
    if (imageSize != 28 && imageSize != 14 && imageSize != 7) {
      throw new UserError("imageSize " + imageSize + " is not supported; use 28, 14 or 7");
    }
    if (normalization == null) {
      throw new UserError("normalization must be one of NONE, STANDARDIZE");
    }
  }

  /** Full-size images scaled to {@code [0, 1]}. */
  public static ImageOptions defaults() {
    return new ImageOptions(28, Normalization.NONE);
  }
}
