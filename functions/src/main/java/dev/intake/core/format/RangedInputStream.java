package dev.intake.core.format;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes [from, to) of a file, fetched lazily in ranged reads of growing size: a reader that stops
 * early has asked for little more than it read (an HTTP client may drain the rest of a ranged body
 * when it is closed, so no range asked for is much larger than what is likely to be read).
 */
final class RangedInputStream extends InputStream {
    static final int FIRST_PIECE_BYTES = 64 * 1024;
    static final int LARGEST_PIECE_BYTES = 8 * 1024 * 1024;

    private final ByteRanges file;
    private final long to;
    private long position;
    private long pieceEnd;
    private long nextPieceBytes = FIRST_PIECE_BYTES;
    private InputStream piece;
    private boolean closed;

    RangedInputStream(ByteRanges file, long from, long to) {
        this.file = file;
        this.position = from;
        this.pieceEnd = from;
        this.to = to;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (position < to) {
            if (piece == null || position >= pieceEnd) {
                closePiece();
                pieceEnd = Math.min(to, position + nextPieceBytes);
                nextPieceBytes = Math.min(LARGEST_PIECE_BYTES, nextPieceBytes * 2);
                piece = file.open(position, pieceEnd);
            }
            int n = piece.read(b, off, (int) Math.min(len, pieceEnd - position));
            if (n > 0) {
                position += n;
                return n;
            }
            // The range ended before its end: the object is shorter than planned.
            throw new java.io.EOFException("the object ended at byte " + position + ", before byte " + pieceEnd);
        }
        return -1;
    }

    private void closePiece() throws IOException {
        if (piece != null) {
            InputStream done = piece;
            piece = null;
            done.close();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closePiece();
    }
}
