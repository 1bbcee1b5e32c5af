package dev.intake.core.format.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BiConsumer;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes Parquet files in memory for tests, with Parquet's own writer. */
public final class ParquetFiles {
    private ParquetFiles() {
    }

    /**
     * @param schema       a Parquet message type, e.g. {@code message m { required binary ID (STRING); }}
     * @param rowsPerGroup the most rows in a row group
     * @param rows         how many rows; {@code fill} sets row i's values
     */
    public static byte[] write(String schema, int rowsPerGroup, CompressionCodecName codec, int rows,
                               BiConsumer<Integer, Group> fill) {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        Memory out = new Memory();
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        ExampleParquetWriter.Builder builder = ExampleParquetWriter.builder().withFile(out).withType(type);
        try {
            // withConf(ParquetConfiguration) indirectly: javac cannot choose between the overloads
            // without the Hadoop classes, which the tests (like Lambda) do not have.
            // (a method handle, found by its exact descriptor: reflection would load every overload)
            MethodHandles.publicLookup().findVirtual(ParquetWriter.Builder.class, "withConf",
                    MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class))
                    .invoke(builder, new PlainParquetConfiguration());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        try (ParquetWriter<Group> writer = builder
                .withCodecFactory(PlainCodecs.INSTANCE).withCompressionCodec(codec).withRowGroupRowCountLimit(rowsPerGroup).withPageRowCountLimit(
                        Math.max(1, Math.min(rowsPerGroup, 1000))).withDictionaryEncoding(true).build()) {
            for (int i = 0; i < rows; i++) {
                Group g = groups.newGroup();
                fill.accept(i, g);
                writer.write(g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.bytes.toByteArray();
    }

    /** An output file in memory. */
    static final class Memory implements OutputFile {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return stream();
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            bytes.reset();
            return stream();
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        private PositionOutputStream stream() {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }
    }
}
