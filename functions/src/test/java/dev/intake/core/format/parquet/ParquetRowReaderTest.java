package dev.intake.core.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.format.RawRow;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.StoredObject;
import dev.intake.core.schema.RecordSchema;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

class ParquetRowReaderTest {
    static final String URI = "s3://b/k.parquet";

    /** One object, read only by ranges (as S3 serves it), each range noted. */
    static final class OneObject implements ObjectStore {
        final byte[] body;
        final List<long[]> ranges = new ArrayList<>();

        OneObject(byte[] body) {
            this.body = body;
        }

        @Override
        public List<StoredObject> list(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredObject> head(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
            ranges.add(new long[] {start, endExclusive});
            return new ByteArrayInputStream(Arrays.copyOfRange(body, (int) start, (int) Math.min(endExclusive, body.length)));
        }

        @Override
        public InputStream read(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteAll(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }
    }

    static List<RawRow> read(byte[] file, RecordSchema schema, long start, long end) throws Exception {
        List<RawRow> rows = new ArrayList<>();
        try (ParquetRowReader reader = ParquetRowReader.open(new OneObject(file), "b", "k.parquet", "etag", file.length, URI,
                start, end, schema, Set.of())) {
            for (RawRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void readsRowsWithoutHadoop() throws Exception {
        byte[] file = ParquetFiles.write("message m { required binary ID (STRING); optional int64 N; }", 10,
                CompressionCodecName.SNAPPY, 25, (i, g) -> {
                    g.add("ID", "r" + i);
                    if (i % 2 == 0) {
                        g.add("N", (long) i);
                    }
                });
        RecordSchema schema = RecordSchema.parse("""
                {"type":"record","name":"R","fields":[{"name":"ID","type":"string"},{"name":"N","type":["null","long"]}]}""",
                List.of("ID"));
        List<RawRow> rows = read(file, schema, 0, file.length);
        assertThat(rows).hasSize(25);
        assertThat(rows.get(0).line()).isEqualTo(1);
        assertThat(rows.get(24).line()).isEqualTo(25);
        assertThat(rows.get(4).values()).containsEntry("ID", "r4").containsEntry("N", 4L);
        assertThat(rows.get(5).values()).containsEntry("N", null);
    }
}
