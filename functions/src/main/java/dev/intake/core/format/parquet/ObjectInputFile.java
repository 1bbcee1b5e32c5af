package dev.intake.core.format.parquet;

import dev.intake.core.ports.ObjectStore;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * One version of a stored object as Parquet's {@link InputFile}: every read is a ranged read of the
 * object store (no Hadoop file system), each range bounded so that no client drains a long body.
 */
final class ObjectInputFile implements InputFile {
    /** The smallest range fetched at once: the footer's small reads do not each cost a request. */
    static final int MIN_RANGE_BYTES = 256 * 1024;

    private final ObjectStore objects;
    private final String bucket;
    private final String key;
    private final String etag;
    private final long size;

    ObjectInputFile(ObjectStore objects, String bucket, String key, String etag, long size) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.etag = etag;
        this.size = size;
    }

    @Override
    public long getLength() {
        return size;
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangedStream();
    }

    /**
     * An I/O failure of the object store (a dropped connection), not of the file's content: worth
     * another attempt, where a file Parquet cannot decode is not.
     */
    static final class StoreReadException extends IOException {
        StoreReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Reads forward from one open range; a seek elsewhere, or the range's end, opens the next one. */
    private final class RangedStream extends SeekableInputStream {
        private long position;
        private InputStream range;
        /** Where {@link #range} is: the next byte it gives. */
        private long rangePosition;
        private long rangeEnd;

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > size) {
                throw new EOFException("seek to " + newPos + " outside the object's " + size + " bytes");
            }
            position = newPos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            InputStream in = rangeAt(len);
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, rangeEnd - position));
            } catch (IOException e) {
                closeRange();
                throw new StoreReadException(e);
            }
            if (n < 0) {
                closeRange();
                throw new StoreReadException(new EOFException("the object ended at " + position + " of " + size + " bytes"));
            }
            position += n;
            rangePosition = position;
            return n;
        }

        /** The open range positioned at {@link #position}, fetching one of at least {@code wanted} bytes if needed. */
        private InputStream rangeAt(int wanted) throws IOException {
            if (range != null && rangePosition == position && position < rangeEnd) {
                return range;
            }
            closeRange();
            rangePosition = position;
            rangeEnd = Math.min(size, position + Math.max(wanted, MIN_RANGE_BYTES));
            range = objects.open(bucket, key, position, rangeEnd, etag);
            return range;
        }

        private void closeRange() throws IOException {
            if (range != null) {
                InputStream r = range;
                range = null;
                r.close();
            }
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            int done = 0;
            while (done < len) {
                int n = read(bytes, start + done, len - done);
                if (n < 0) {
                    throw new EOFException("the object ends before " + (position + len - done));
                }
                done += n;
            }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            int len = buf.remaining();
            if (len == 0) {
                return 0;
            }
            byte[] bytes = new byte[len];
            int n = read(bytes, 0, len);
            if (n > 0) {
                buf.put(bytes, 0, n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            if (buf.hasArray()) { // Parquet's heap buffers: straight in
                readFully(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
                buf.position(buf.limit());
                return;
            }
            byte[] bytes = new byte[buf.remaining()];
            readFully(bytes);
            buf.put(bytes);
        }

        @Override
        public void close() throws IOException {
            closeRange();
        }
    }
}
