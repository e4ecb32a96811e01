package org.metaopt.ops.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line and bar charts rendered to PNG with XChart, headless (sets {@code java.awt.headless=true} unless the JVM
 * was started with a value). Stateless; safe from any thread (each call builds its own chart).
 */
public final class Plots {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Default figure size in pixels. */
  public static final int WIDTH = 760;
  public static final int HEIGHT = 420;

  private Plots() {}

  /**
   * A line chart of several series. Non-finite points are dropped; with {@code logY} points with y <= 0 are dropped
   * too (and the axis falls back to linear when nothing positive is left). Series left without points are omitted.
   */
  public static Figure line(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
    boolean log = logY && series.stream().anyMatch(s -> hasPoint(s, true));
    if (log && decades(series) > MAX_LOG_AXIS_DECADES) {
      // XChart labels every decade; past a dozen they overlap, so draw log10 on a linear axis instead
      return line(title, xLabel, "log10 " + yLabel, series.stream().map(Plots::log10).toList(), false);
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
        .yAxisTitle(yLabel + (log ? " (log scale)" : "")).build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setYAxisLogarithmic(log);
    chart.getStyler().setYAxisDecimalPattern(log ? "0.##E0" : null);
    int added = 0;
    for (Series s : series) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < s.x().length; i++) {
        if (drawable(s.x()[i], s.y()[i], log)) {
          xs.add(s.x()[i]);
          ys.add(s.y()[i]);
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      if (xs.size() > 2) {
        // XChart puts x ticks only at data points when all x values are equally spaced, and then their labels
        // overlap (steps, versions); moving the last point by 0.1% of the range keeps its "nice" tick spacing.
        int last = xs.size() - 1;
        xs.set(last, xs.get(last) + 1e-3 * (xs.get(last) - xs.get(0)));
      }
      XYSeries added1 = chart.addSeries(uniqueName(chart.getSeriesMap().keySet(), s.name()), xs, ys);
      added1.setMarker(xs.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      added++;
    }
    if (added == 0) {
      return placeholder(title, "no finite data to plot");
    }
    return render(chart, title);
  }

  /**
   * A grouped bar chart: one group per category, one bar per series ({@code values.get(k)[i]} is series k at
   * category i). Non-finite values are drawn as missing bars.
   */
  public static Figure bars(String title, String yLabel, List<String> categories, List<String> seriesNames,
      List<double[]> values) {
    if (seriesNames.size() != values.size()) {
      throw new IllegalArgumentException(seriesNames.size() + " series names for " + values.size() + " value rows");
    }
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yLabel)
        .build();
    style(chart.getStyler());
    chart.getStyler().setOverlapped(false);
    boolean any = false;
    for (int k = 0; k < values.size(); k++) {
      double[] v = values.get(k);
      if (v.length != categories.size()) {
        throw new IllegalArgumentException("series " + seriesNames.get(k) + " has " + v.length + " values for "
            + categories.size() + " categories");
      }
      List<Double> ys = new ArrayList<>();
      for (double d : v) {
        ys.add(Double.isFinite(d) ? d : null);
        any |= Double.isFinite(d);
      }
      chart.addSeries(uniqueName(chart.getSeriesMap().keySet(), seriesNames.get(k)), categories, ys);
    }
    if (!any) {
      return placeholder(title, "no finite data to plot");
    }
    return render(chart, title);
  }

  private static void style(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setLegendBorderColor(Color.WHITE);
    s.setChartTitleBoxVisible(false);
    s.setAntiAlias(true);
    s.setXAxisTickMarkSpacingHint(110);
  }

  /** The most decades a logarithmic axis spans before values are drawn as log10 on a linear axis. */
  static final int MAX_LOG_AXIS_DECADES = 12;

  private static double decades(List<Series> series) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.y().length; i++) {
        if (drawable(s.x()[i], s.y()[i], true)) {
          lo = Math.min(lo, s.y()[i]);
          hi = Math.max(hi, s.y()[i]);
        }
      }
    }
    return Math.log10(hi / lo);
  }

  private static Series log10(Series s) {
    double[] y = new double[s.y().length];
    for (int i = 0; i < y.length; i++) {
      y[i] = s.y()[i] > 0 ? Math.log10(s.y()[i]) : Double.NaN;
    }
    return new Series(s.name(), s.x(), y);
  }

  private static boolean hasPoint(Series s, boolean log) {
    for (int i = 0; i < s.x().length; i++) {
      if (drawable(s.x()[i], s.y()[i], log)) {
        return true;
      }
    }
    return false;
  }

  private static boolean drawable(double x, double y, boolean log) {
    return Double.isFinite(x) && Double.isFinite(y) && (!log || y > 0);
  }

  private static String uniqueName(java.util.Set<String> taken, String name) {
    String n = name;
    for (int i = 2; taken.contains(n); i++) {
      n = name + " (" + i + ")";
    }
    return n;
  }

  private static Figure render(Chart<?, ?> chart, String caption) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      return new Figure(png, chart.getWidth(), chart.getHeight(), caption);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Figure placeholder(String title, String message) {
    BufferedImage img = new BufferedImage(WIDTH, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, 120);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, 20, 40);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(message, 20, 75);
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Figure(bytes.toByteArray(), WIDTH, 120, title);
  }
}
