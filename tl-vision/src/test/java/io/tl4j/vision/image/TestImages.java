package io.tl4j.vision.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Writes small synthetic images for the tests. */
final class TestImages {

    private TestImages() {}

    /** An image whose left half is {@code left} and right half {@code right}. */
    static BufferedImage halves(int width, int height, Color left, Color right) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    static Path write(BufferedImage image, Path file) {
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1);
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format.equals("jpg") ? "jpeg" : format, file.toFile())) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A file with an image extension whose content is not an image. */
    static Path corrupt(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A valid black-and-white PNG (1 bit per pixel, two-colour palette) of {@code width x height}
     * all-black pixels, written chunk by chunk with their CRCs: at 30,000 x 30,000 it is the 109 KB
     * file that declares 900 million pixels.
     */
    static Path bilevelPng(Path file, int width, int height) {
        try (ByteArrayOutputStream pixels = new ByteArrayOutputStream();
                DeflaterOutputStream deflate = new DeflaterOutputStream(pixels, new Deflater(9))) {
            byte[] row = new byte[1 + (width + 7) / 8]; // filter byte 0, then packed bits
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
            deflate.finish();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream header = new DataOutputStream(ihdr);
            header.writeInt(width);
            header.writeInt(height);
            header.write(new byte[] {1, 3, 0, 0, 0}); // bit depth 1, palette, deflate, no filter, no interlace
            chunk(png, "IHDR", ihdr.toByteArray());
            chunk(png, "PLTE", new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
            chunk(png, "IDAT", pixels.toByteArray());
            chunk(png, "IEND", new byte[0]);
            Files.createDirectories(file.getParent());
            return Files.write(file, png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
