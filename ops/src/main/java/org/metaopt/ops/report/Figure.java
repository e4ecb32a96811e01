package org.metaopt.ops.report;

import java.util.Base64;
import java.util.Objects;

/** A rendered plot: PNG bytes with its pixel size and a caption. Immutable (the bytes are not exposed). */
public final class Figure {
  private final byte[] png;
  private final int width;
  private final int height;
  private final String caption;

  Figure(byte[] png, int width, int height, String caption) {
    this.png = png.clone();
    this.width = width;
    this.height = height;
    this.caption = Objects.requireNonNull(caption, "caption");
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public String caption() {
    return caption;
  }

  /** A copy of the PNG bytes. */
  public byte[] png() {
    return png.clone();
  }

  /** The {@code data:image/png;base64,...} URI of the image. */
  public String dataUri() {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }
}
