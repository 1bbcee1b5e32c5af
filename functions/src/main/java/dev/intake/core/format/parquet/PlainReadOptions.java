package dev.intake.core.format.parquet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetMetricsCallback;

/**
 * Parquet read options that name no Hadoop class. Every {@code ParquetReadOptions.Builder} creates
 * Hadoop's codec factory (and asks Hadoop's input format for a filter) before it can be told
 * otherwise, so the options are made with their own constructor: plain configuration, the plain
 * Java codecs, no filters (Intake reads every row of a row group), no checksums.
 */
final class PlainReadOptions {
    /** Column chunks are read into buffers of at most this size (Parquet's default). */
    static final int MAX_ALLOCATION_BYTES = 8 * 1024 * 1024;

    private static final ParquetReadOptions OPTIONS = create();

    private PlainReadOptions() {
    }

    static ParquetReadOptions get() {
        return OPTIONS;
    }

    private static ParquetReadOptions create() {
        try {
            // The constructor is package-private; Intake and Parquet share the unnamed module, so a
            // private lookup reaches it without opening anything.
            MethodHandle constructor = MethodHandles.privateLookupIn(ParquetReadOptions.class, MethodHandles.lookup())
                    .findConstructor(ParquetReadOptions.class, MethodType.methodType(void.class, boolean.class,
                            boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                            boolean.class, boolean.class, FilterCompat.Filter.class,
                            ParquetMetadataConverter.MetadataFilter.class, CompressionCodecFactory.class,
                            ByteBufferAllocator.class, int.class, Map.class, FileDecryptionProperties.class,
                            ParquetMetricsCallback.class, ParquetConfiguration.class));
            return (ParquetReadOptions) constructor.invoke(false, false, false, false, false, false, false, false, false,
                    FilterCompat.NOOP, ParquetMetadataConverter.NO_FILTER, PlainCodecs.INSTANCE,
                    new HeapByteBufferAllocator(), MAX_ALLOCATION_BYTES, Map.of(), null, null,
                    new PlainParquetConfiguration());
        } catch (Throwable e) {
            throw new IllegalStateException("Parquet's read options could not be made (Parquet version changed?)", e);
        }
    }
}
