package io.dormouse.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Where the command line's charts are drawn: the same drawing goes to SVG text or to a Java2D PNG,
 * chosen by the file's extension, so no charting library is needed.
 */
interface ChartCanvas {

    void rect(double x, double y, double w, double h, String fill, double opacity);

    void polygon(List<double[]> points, String fill, double opacity);

    void polyline(List<double[]> points, String stroke, double width);

    void circle(double x, double y, double r, String fill);

    void text(double x, double y, String text, int size);

    /** Draws with {@code drawing} on a {@code width} by {@code height} canvas into {@code file} (.svg or .png). */
    static void write(Path file, int width, int height, Consumer<ChartCanvas> drawing) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            StringBuilder svg = new StringBuilder();
            drawing.accept(svg(svg));
            Files.writeString(file, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                    + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"sans-serif\">\n" + svg + "</svg>\n");
        } else if (name.endsWith(".png")) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            drawing.accept(java2d(g));
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
        } else {
            throw new CliException(Cli.USAGE, "--plot " + file + ": the file name must end in .svg or .png");
        }
    }

    private static String coords(List<double[]> points) {
        StringBuilder sb = new StringBuilder();
        for (double[] p : points) {
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
        }
        return sb.toString().strip();
    }

    private static ChartCanvas svg(StringBuilder svg) {
        return new ChartCanvas() {
            @Override
            public void rect(double x, double y, double w, double h, String fill, double opacity) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"/>%n",
                        x, y, w, h, fill, opacity));
            }

            @Override
            public void polygon(List<double[]> points, String fill, double opacity) {
                svg.append(String.format(Locale.ROOT, "<polygon points=\"%s\" fill=\"%s\" fill-opacity=\"%.2f\"/>%n",
                        coords(points), fill, opacity));
            }

            @Override
            public void polyline(List<double[]> points, String stroke, double width) {
                svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
                        coords(points), stroke, width));
            }

            @Override
            public void circle(double x, double y, double r, String fill) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", x, y, r, fill));
            }

            @Override
            public void text(double x, double y, String text, int size) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\">%s</text>%n", x, y, size,
                        text.replace("&", "&amp;").replace("<", "&lt;")));
            }
        };
    }

    private static ChartCanvas java2d(Graphics2D g) {
        return new ChartCanvas() {
            @Override
            public void rect(double x, double y, double w, double h, String fill, double opacity) {
                g.setColor(color(fill, opacity));
                g.fill(new Rectangle2D.Double(x, y, w, h));
            }

            @Override
            public void polygon(List<double[]> points, String fill, double opacity) {
                g.setColor(color(fill, opacity));
                g.fill(path(points));
            }

            @Override
            public void polyline(List<double[]> points, String stroke, double width) {
                g.setColor(color(stroke, 1));
                g.setStroke(new BasicStroke((float) width));
                g.draw(path(points));
            }

            @Override
            public void circle(double x, double y, double r, String fill) {
                g.setColor(color(fill, 1));
                g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            }

            @Override
            public void text(double x, double y, String text, int size) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
                g.drawString(text, (float) x, (float) y);
            }
        };
    }

    private static Path2D path(List<double[]> points) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < points.size(); i++) {
            if (i == 0) {
                path.moveTo(points.get(i)[0], points.get(i)[1]);
            } else {
                path.lineTo(points.get(i)[0], points.get(i)[1]);
            }
        }
        return path;
    }

    private static Color color(String hex, double opacity) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return new Color((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, (int) Math.round(opacity * 255));
    }
}
