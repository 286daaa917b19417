package dev.polyrun.loadtest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inline SVG charts for the HTML report, drawn here so that a report is one self-contained file (no
 * script, no font or library from elsewhere): line charts with vertical markers, and bar charts.
 */
public final class SvgChart {
  private static final int WIDTH = 820;
  private static final int HEIGHT = 280;
  private static final int LEFT = 64;
  private static final int RIGHT = 150;
  private static final int TOP = 30;
  private static final int BOTTOM = 40;
  private static final String[] COLORS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };

  /** One line: its name and points; a NaN y breaks the line. */
  public record Line(String name, double[] x, double[] y) {}

  /** A vertical marker at {@code x}, e.g. a fault. */
  public record Marker(double x, String label) {}

  private SvgChart() {}

  /** A line chart; the y axis starts at 0. */
  public static String lines(
      String title, String xLabel, String yLabel, List<Line> lines, List<Marker> markers) {
    double xMax = 1;
    double yMax = 0;
    double xMin = Double.POSITIVE_INFINITY;
    for (Line l : lines) {
      for (int i = 0; i < l.x().length; i++) {
        xMin = Math.min(xMin, l.x()[i]);
        xMax = Math.max(xMax, l.x()[i]);
        if (!Double.isNaN(l.y()[i])) {
          yMax = Math.max(yMax, l.y()[i]);
        }
      }
    }
    for (Marker m : markers) {
      xMax = Math.max(xMax, m.x());
    }
    xMin = Double.isInfinite(xMin) ? 0 : Math.min(0, xMin);
    double xStep = nice((xMax - xMin) / 6);
    xMax = xMin + Math.ceil((xMax - xMin) / xStep) * xStep;
    yMax = nice(yMax <= 0 ? 1 : yMax * 1.05);
    Frame f = new Frame(xMin, xMax, yMax, xStep);
    StringBuilder svg = open(title);
    axes(svg, f, xLabel, yLabel);
    for (Marker m : markers) {
      double x = f.x(m.x());
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#c00' "
                  + "stroke-dasharray='4 3'/><text x='%.1f' y='%d' font-size='10' fill='#c00' transform='rotate(-90 %.1f %d)'>"
                  + "%s</text>%n",
              x,
              TOP,
              x,
              HEIGHT - BOTTOM,
              x - 3,
              TOP + 4,
              x - 3,
              TOP + 4,
              esc(m.label())));
    }
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      String color = COLORS[i % COLORS.length];
      for (String points : segments(l, f)) {
        svg.append("<polyline fill='none' stroke-width='1.5' stroke='")
            .append(color)
            .append("' points='")
            .append(points)
            .append("'/>\n");
      }
      int ly = TOP + 14 * i + 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x='%d' y='%d' width='12' height='3' fill='%s'/>"
                  + "<text x='%d' y='%d' font-size='11'>%s</text>%n",
              WIDTH - RIGHT + 12,
              ly,
              color,
              WIDTH - RIGHT + 28,
              ly + 4,
              esc(l.name())));
    }
    return svg.append("</svg>\n").toString();
  }

  /** A horizontal bar chart of named values. */
  public static String bars(String title, String unit, Map<String, ? extends Number> values) {
    int rowHeight = 20;
    int height = TOP + BOTTOM / 2 + rowHeight * Math.max(1, values.size());
    double max = values.values().stream().mapToDouble(Number::doubleValue).max().orElse(1);
    max = max <= 0 ? 1 : max;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>%n"
                    + "<text x='%d' y='18' font-size='13' font-weight='bold'>%s</text>%n",
                WIDTH,
                height,
                LEFT,
                esc(title)));
    int i = 0;
    int barLeft = 260;
    for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
      int y = TOP + rowHeight * i++;
      double w = (WIDTH - barLeft - 120) * e.getValue().doubleValue() / max;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' font-size='11' text-anchor='end'>%s</text>"
                  + "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'/><text x='%.1f' y='%d' font-size='11'>%s %s</text>%n",
              barLeft - 6,
              y + 13,
              esc(e.getKey()),
              barLeft,
              y + 2,
              Math.max(1, w),
              rowHeight - 6,
              COLORS[3],
              barLeft + w + 4,
              y + 13,
              format(e.getValue().doubleValue()),
              esc(unit)));
    }
    return svg.append("</svg>\n").toString();
  }

  private record Frame(double xMin, double xMax, double yMax, double xStep) {
    double x(double v) {
      return LEFT + (v - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
    }

    double y(double v) {
      return HEIGHT - BOTTOM - v / yMax * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static StringBuilder open(String title) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>%n"
                + "<text x='%d' y='18' font-size='13' font-weight='bold'>%s</text>%n",
            WIDTH,
            HEIGHT,
            LEFT,
            esc(title)));
  }

  private static void axes(StringBuilder svg, Frame f, String xLabel, String yLabel) {
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    int y0 = HEIGHT - BOTTOM;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>"
                + "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>%n",
            x0,
            y0,
            x1,
            y0,
            x0,
            TOP,
            x0,
            y0));
    for (int i = 0; i <= 4; i++) {
      double v = f.yMax() * i / 4;
      double y = f.y(v);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>"
                  + "<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%s</text>%n",
              x0 + 1,
              y,
              x1,
              y,
              x0 - 4,
              y + 3,
              format(v)));
    }
    for (double v = f.xMin(); v <= f.xMax() + f.xStep() / 2; v += f.xStep()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>%n",
              f.x(v),
              y0 + 14,
              format(v)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>"
                + "<text x='14' y='%d' font-size='11' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>%n",
            (x0 + x1) / 2,
            HEIGHT - 8,
            esc(xLabel),
            (TOP + y0) / 2,
            (TOP + y0) / 2,
            esc(yLabel)));
  }

  private static List<String> segments(Line l, Frame f) {
    List<String> segments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < l.x().length; i++) {
      if (Double.isNaN(l.y()[i])) {
        if (!current.isEmpty()) {
          segments.add(current.toString());
          current.setLength(0);
        }
        continue;
      }
      current.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(l.x()[i]), f.y(l.y()[i])));
    }
    if (!current.isEmpty()) {
      segments.add(current.toString());
    }
    return segments;
  }

  /** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code v}. */
  static double nice(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  /** Escapes text for XML and HTML. */
  public static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("'", "&#39;")
            .replace("\"", "&quot;");
  }
}
