package dev.intake.core.format.parquet;

import dev.intake.core.ImportFailedException;
import dev.intake.core.format.RawRow;
import dev.intake.core.format.RowReader;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.schema.RecordSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;

/**
 * The rows of the row groups of a Parquet file that belong to one chunk (a byte range of the file).
 *
 * <p>A row group belongs to the chunk that holds its midpoint (the middle byte of its column
 * chunks, as Hadoop's input splits decide), so chunks that cut a file anywhere read each row group
 * exactly once. The reader reads the footer itself (the planner never reads a Parquet file), checks
 * the file's columns against the dataset schema ({@link ParquetColumns}) and gives each row the
 * number of the row in the file (1-based), where CSV gives a line number.
 */
public final class ParquetRowReader implements RowReader {
    /** The largest footer read; a larger one is a damaged or hostile file, not memory to allocate. */
    static final long MAX_FOOTER_BYTES = 64L * 1024 * 1024;
    /**
     * The largest row group read: it is held in memory, compressed, while its rows are read (the
     * ingest functions have 2 GB). Writers' defaults are 128 MB or less.
     */
    static final long MAX_ROW_GROUP_BYTES = 512L * 1024 * 1024;
    private final String file;
    private final ParquetFileReader reader;
    private final ParquetColumns columns;
    private final List<Integer> rowGroups;
    /** The file's row number before each row group's first row. */
    private final long[] rowsBefore;
    private final String createdBy;
    private int nextGroup;
    private List<ColumnReader> columnReaders;
    private long rowsLeftInGroup;
    private long row;

    private ParquetRowReader(String file, ParquetFileReader reader, ParquetColumns columns, List<Integer> rowGroups,
                             long[] rowsBefore) {
        this.file = file;
        this.reader = reader;
        this.columns = columns;
        this.rowGroups = rowGroups;
        this.rowsBefore = rowsBefore;
        this.createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
    }

    /**
     * Opens the object version {@code etag} and reads its footer.
     *
     * @param file  the file's s3:// URI, for messages
     * @param start first byte of the chunk; {@code end} its exclusive end
     * @param given fields the file's location gives every row (they must not be columns too)
     * @throws ImportFailedException the file is not Parquet, is damaged, or its columns do not fit the schema
     * @throws IOException           the object store could not be read (worth another attempt)
     */
    public static ParquetRowReader open(ObjectStore objects, String bucket, String key, String etag, long size, String file,
                                        long start, long end, RecordSchema schema, Set<String> given) throws IOException {
        ParquetFileReader reader;
        try {
            // Plain configuration and codecs: no Hadoop Configuration, file system, codec pool or native library.
            ParquetReadOptions options = PlainReadOptions.get();
            ObjectInputFile input = new ObjectInputFile(objects, bucket, key, etag, size);
            SeekableInputStream stream = input.newStream();
            try {
                reader = ParquetFileReader.open(input, readFooter(stream, size), options, stream);
            } catch (IOException | RuntimeException e) {
                stream.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw storeFailureOrUnreadable(file, e);
        }
        try {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            ParquetColumns columns = ParquetColumns.check(file, fileSchema, schema, given);
            List<BlockMetaData> blocks = reader.getRowGroups();
            long[] rowsBefore = new long[blocks.size()];
            List<Integer> mine = new ArrayList<>();
            long rows = 0;
            for (int i = 0; i < blocks.size(); i++) {
                rowsBefore[i] = rows;
                rows += blocks.get(i).getRowCount();
                long midpoint = midpoint(blocks.get(i));
                if (midpoint >= start && midpoint < end) {
                    mine.add(i);
                }
            }
            return new ParquetRowReader(file, reader, columns, mine, rowsBefore);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * The file's metadata: the footer before the last 8 bytes (its length, then {@code PAR1}). Read
     * here rather than by {@code ParquetFileReader}'s own opening, whose overloads name Hadoop types.
     */
    static ParquetMetadata readFooter(SeekableInputStream in, long size) throws IOException {
        if (size < 12) {
            throw new IOException("it is " + size + " bytes long, too short for a Parquet file (12 bytes at least)");
        }
        byte[] tail = new byte[8];
        in.seek(size - 8);
        in.readFully(tail);
        String magic = new String(tail, 4, 4, StandardCharsets.US_ASCII);
        if (magic.equals("PARE")) {
            throw new IOException("the file is encrypted, which Intake does not read");
        }
        if (!magic.equals("PAR1")) {
            throw new IOException("it does not end with Parquet's magic number PAR1 (not a Parquet file, or cut short)");
        }
        long length = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (length > size - 12) {
            throw new IOException("its footer length " + length + " does not fit in its " + size + " bytes");
        }
        if (length > MAX_FOOTER_BYTES) {
            throw new IOException("its footer is " + length + " bytes, more than Intake reads (" + MAX_FOOTER_BYTES
                    + ")");
        }
        byte[] footer = new byte[(int) length];
        in.seek(size - 8 - length);
        in.readFully(footer);
        return new ParquetMetadataConverter().readParquetMetadata(new ByteArrayInputStream(footer),
                ParquetMetadataConverter.NO_FILTER);
    }

    /** The middle byte of a row group's column chunks (from the first one's first page). */
    static long midpoint(BlockMetaData block) {
        long first = Long.MAX_VALUE;
        long bytes = 0;
        for (ColumnChunkMetaData column : block.getColumns()) {
            first = Math.min(first, column.getStartingPos());
            bytes += column.getTotalSize();
        }
        return first == Long.MAX_VALUE ? 0 : first + bytes / 2;
    }

    @Override
    public RawRow next() throws IOException {
        try {
            while (rowsLeftInGroup == 0) {
                if (nextGroup == rowGroups.size()) {
                    return null;
                }
                startGroup(rowGroups.get(nextGroup++));
            }
            rowsLeftInGroup--;
            long number = ++row;
            Map<String, Object> values = new LinkedHashMap<>();
            String problem = null;
            for (int c = 0; c < columnReaders.size(); c++) {
                ColumnReader column = columnReaders.get(c);
                ParquetColumns.Column meta = columns.get(c);
                if (column.getCurrentDefinitionLevel() < meta.maxDefinitionLevel()) {
                    values.put(meta.name(), null); // no value: the schema decides (null, the default, or a failed row)
                } else if (problem == null) {
                    Object value = meta.read(column);
                    if (value instanceof ParquetColumns.Refused refused) {
                        problem = refused.reason();
                    } else {
                        values.put(meta.name(), value);
                    }
                }
                column.consume();
            }
            return new RawRow(number, problem == null ? Collections.unmodifiableMap(values) : null, problem);
        } catch (ImportFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw storeFailureOrUnreadable(file, e);
        }
    }

    private void startGroup(int index) throws IOException {
        long bytes = reader.getRowGroups().get(index).getCompressedSize();
        if (bytes > MAX_ROW_GROUP_BYTES) {
            throw new ImportFailedException("File " + file + ": row group " + (index + 1) + " is " + bytes + " bytes; Intake "
                    + "reads row groups of at most " + MAX_ROW_GROUP_BYTES + " bytes (write smaller row groups)");
        }
        PageReadStore pages = reader.readRowGroup(index);
        MessageType schema = columns.requested();
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new GroupRecordConverter(schema).getRootConverter(),
                schema, createdBy);
        columnReaders = new ArrayList<>();
        for (ParquetColumns.Column column : columns.all()) {
            columnReaders.add(store.getColumnReader(column.descriptor()));
        }
        rowsLeftInGroup = pages.getRowCount();
        row = rowsBefore[index];
    }

    /**
     * The object store's failure (the job's retry rules apply: a dropped connection or throttling is
     * retried), also where Parquet wrapped it; otherwise the file's: it cannot be read as Parquet.
     */
    private static ImportFailedException storeFailureOrUnreadable(String file, Exception e) throws IOException {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ObjectInputFile.StoreReadException read) {
                throw read;
            }
            if (cause instanceof ObjectStoreException store) {
                throw store;
            }
        }
        return unreadable(file, e);
    }

    private static ImportFailedException unreadable(String file, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return new ImportFailedException("Could not read " + file + " as Parquet: "
                + (newline < 0 ? message : message.substring(0, newline)));
    }

    @Override
    public List<String> header() {
        return columns.names();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
