package dev.intake.core.format.parquet;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet's page codecs in plain Java (aircompressor, and the JDK for gzip), where Parquet's own
 * factory goes through Hadoop's codec classes and native libraries: UNCOMPRESSED, SNAPPY, GZIP,
 * ZSTD and LZ4_RAW, the codecs Parquet writers use. Others (LZO, BROTLI, Hadoop-framed LZ4) are
 * refused with their name.
 */
public final class PlainCodecs implements CompressionCodecFactory {
    public static final PlainCodecs INSTANCE = new PlainCodecs();

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Block(null, null, codec);
            case SNAPPY -> new Block(new SnappyDecompressor(), new SnappyCompressor(), codec);
            case ZSTD -> new Block(new ZstdDecompressor(), new ZstdCompressor(), codec);
            case LZ4_RAW -> new Block(new Lz4Decompressor(), new Lz4Compressor(), codec);
            case GZIP -> new Gzip();
            default -> throw new UnsupportedCodecException(codec);
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return (BytesInputCompressor) getDecompressor(codec);
    }

    @Override
    public void release() {
    }

    /** A page compressed with a codec Intake does not read: the file cannot be imported. */
    static final class UnsupportedCodecException extends IllegalArgumentException {
        UnsupportedCodecException(CompressionCodecName codec) {
            super("its pages are compressed with " + codec + ", which Intake does not read (it reads UNCOMPRESSED, "
                    + "SNAPPY, GZIP, ZSTD and LZ4_RAW)");
        }
    }

    /** The largest page decompressed: a page header claiming more is a damaged or hostile file. */
    static final int MAX_PAGE_BYTES = 256 * 1024 * 1024;

    /** Decodes one whole page into exactly the size the page header gives. */
    private abstract static class Codec implements BytesInputDecompressor, BytesInputCompressor {
        private final CompressionCodecName name;

        Codec(CompressionCodecName name) {
            this.name = name;
        }

        abstract byte[] decompress(byte[] input, int uncompressedSize) throws IOException;

        abstract byte[] compress(byte[] input) throws IOException;

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            checkSize(uncompressedSize);
            return BytesInput.from(decompress(bytes.toByteArray(), uncompressedSize));
        }

        private void checkSize(int uncompressedSize) throws IOException {
            if (uncompressedSize < 0 || uncompressedSize > MAX_PAGE_BYTES) {
                throw new IOException("a page claims " + uncompressedSize + " bytes uncompressed; Intake reads pages of at "
                        + "most " + MAX_PAGE_BYTES);
            }
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            checkSize(uncompressedSize);
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(in, uncompressedSize));
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return BytesInput.from(compress(bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return name;
        }

        @Override
        public void release() {
        }

        static IOException wrongSize(CompressionCodecName codec, long got, int expected) {
            return new IOException("a " + codec + " page decompressed to " + got + " bytes, its header says " + expected);
        }
    }

    /** A block codec (or none): one call per page. */
    private static final class Block extends Codec {
        private final Decompressor decompressor;
        private final Compressor compressor;
        private final CompressionCodecName codec;

        Block(Decompressor decompressor, Compressor compressor, CompressionCodecName codec) {
            super(codec);
            this.decompressor = decompressor;
            this.compressor = compressor;
            this.codec = codec;
        }

        @Override
        byte[] decompress(byte[] input, int uncompressedSize) throws IOException {
            if (decompressor == null) {
                if (input.length != uncompressedSize) {
                    throw wrongSize(codec, input.length, uncompressedSize);
                }
                return input;
            }
            byte[] out = new byte[uncompressedSize];
            int n;
            try {
                n = decompressor.decompress(input, 0, input.length, out, 0, out.length);
            } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IOException("a " + codec + " page is damaged: " + e.getMessage(), e);
            }
            if (n != uncompressedSize) {
                throw wrongSize(codec, n, uncompressedSize);
            }
            return out;
        }

        @Override
        byte[] compress(byte[] input) {
            if (compressor == null) {
                return input;
            }
            byte[] out = new byte[compressor.maxCompressedLength(input.length)];
            int n = compressor.compress(input, 0, input.length, out, 0, out.length);
            return java.util.Arrays.copyOf(out, n);
        }
    }

    private static final class Gzip extends Codec {
        Gzip() {
            super(CompressionCodecName.GZIP);
        }

        @Override
        byte[] decompress(byte[] input, int uncompressedSize) throws IOException {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(input))) {
                byte[] out = in.readNBytes(uncompressedSize);
                if (out.length != uncompressedSize || in.read() != -1) {
                    throw wrongSize(CompressionCodecName.GZIP, out.length + (out.length == uncompressedSize ? 1 : 0),
                            uncompressedSize);
                }
                return out;
            }
        }

        @Override
        byte[] compress(byte[] input) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(input);
            }
            return bytes.toByteArray();
        }
    }
}
