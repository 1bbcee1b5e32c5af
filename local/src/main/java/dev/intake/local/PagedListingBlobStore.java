package dev.intake.local;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Cuts the pages of a listing from one full listing of its prefix, kept until the bucket is written.
 *
 * <p>S3Proxy's file stores (in memory and in a directory) answer every ListObjectsV2 page by reading
 * the attributes of every object under the prefix, sorting them all and only then skipping to the
 * continuation token: each page costs as much as listing the whole prefix, so listing N objects, N /
 * 1,000 pages, takes time in N². With 50,000 objects that was nearly all of an import's Plan step
 * ({@code intake bench --objects}). Here the first page's request lists the prefix once, in full, and
 * the following pages are cut from that listing, exactly as the store cuts them (names after the token,
 * {@code maxKeys} of them, the last one's name as the next token).
 *
 * <p>A kept listing answers only while its bucket has not been written since it was taken: every call
 * that writes (objects, multipart uploads, the bucket itself) counts a write of its bucket after it
 * returns, and a listing taken before a write is listed again, so every page is what the store itself
 * would answer at that moment. It must wrap the store directly, so that every write passes through it.
 */
final class PagedListingBlobStore extends ForwardingBlobStore {
    /** Listings kept at once, the most recently used; each is some 200 bytes an object. */
    static final int KEPT_LISTINGS = 4;

    /** Writes per bucket, counted after each write returns. */
    private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
    private final Map<ListObjectsV2Request, Listing> listings = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ListObjectsV2Request, Listing> eldest) {
            return size() > KEPT_LISTINGS;
        }
    };

    PagedListingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /**
     * A full listing in the store's order (by name, objects and common prefixes together), taken when
     * its bucket had seen {@code writes} writes.
     *
     * @param objects the object of each name, or null where the name is a common prefix
     */
    private record Listing(long writes, String[] names, S3Object[] objects) {
        static Listing of(long writes, ListObjectsV2Response all) {
            List<S3Object> contents = all.hasContents() ? all.contents() : List.of();
            List<CommonPrefix> prefixes = all.hasCommonPrefixes() ? all.commonPrefixes() : List.of();
            String[] names = new String[contents.size() + prefixes.size()];
            S3Object[] objects = new S3Object[names.length];
            // Both lists come sorted by name: merge them.
            int c = 0;
            int p = 0;
            for (int i = 0; i < names.length; i++) {
                boolean object = p == prefixes.size()
                        || (c < contents.size() && contents.get(c).key().compareTo(prefixes.get(p).prefix()) < 0);
                if (object) {
                    objects[i] = contents.get(c);
                    names[i] = contents.get(c++).key();
                } else {
                    names[i] = prefixes.get(p++).prefix();
                }
            }
            return new Listing(writes, names, objects);
        }

        /** The names after {@code marker} (all without one), at most {@code maxKeys} of them, as the store pages them. */
        ListObjectsV2Response page(String marker, Integer maxKeys) {
            int from = 0;
            if (marker != null) {
                int found = Arrays.binarySearch(names, marker);
                from = found >= 0 ? found + 1 : -found - 1;
            }
            int to = names.length;
            String next = null;
            if (maxKeys != null && to - from > maxKeys) {
                if (maxKeys == 0) {
                    to = from;
                } else {
                    to = from + maxKeys;
                    next = names[to - 1];
                }
            }
            List<S3Object> contents = new ArrayList<>();
            List<CommonPrefix> prefixes = new ArrayList<>();
            for (int i = from; i < to; i++) {
                if (objects[i] != null) {
                    contents.add(objects[i]);
                } else {
                    prefixes.add(CommonPrefix.builder().prefix(names[i]).build());
                }
            }
            return ListObjectsV2Response.builder().contents(Collections.unmodifiableList(contents))
                    .commonPrefixes(Collections.unmodifiableList(prefixes)).nextContinuationToken(next)
                    .isTruncated(next != null).build();
        }
    }

    private long writes(String bucket) {
        AtomicLong count = bucket == null ? null : writes.get(bucket);
        return count == null ? 0 : count.get();
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        // The store reads the continuation token, or else the start-after key, as the name to list after.
        String marker = request.continuationToken() != null ? request.continuationToken() : request.startAfter();
        ListObjectsV2Request whole = request.toBuilder().continuationToken(null).startAfter(null).maxKeys(null).build();
        Listing listing;
        synchronized (listings) {
            listing = listings.get(whole);
        }
        long writesBefore = writes(request.bucket());
        if (listing == null || listing.writes() != writesBefore) {
            listing = Listing.of(writesBefore, super.list(whole));
        }
        ListObjectsV2Response page = listing.page(marker, request.maxKeys());
        synchronized (listings) {
            if (page.nextContinuationToken() == null) {
                listings.remove(whole); // listed to the end: a listing after this one starts anew
            } else if (listings.get(whole) != listing) {
                listings.put(whole, listing);
            }
        }
        return page;
    }

    /** Runs a write of {@code bucket}, then counts it, whether it succeeded or not. */
    private <T> T write(String bucket, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            if (bucket != null) {
                writes.computeIfAbsent(bucket, b -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private void write(String bucket, Runnable write) {
        write(bucket, () -> {
            write.run();
            return null;
        });
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        return write(request.bucket(), () -> super.putBlob(request, content));
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return write(request.destinationBucket(), () -> super.copyBlob(request));
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        return write(request.bucket(), () -> super.removeBlob(request));
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        return write(request.bucket(), () -> super.removeBlobs(request));
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        return write(request.bucket(), () -> super.initiateMultipartUpload(request));
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        return write(upload.containerName(), () -> super.uploadMultipartPart(upload, request, content));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        return write(upload.containerName(), () -> super.completeMultipartUpload(upload, request));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        write(upload.containerName(), () -> super.abortMultipartUpload(upload));
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        return write(request.bucket(), () -> super.createContainer(request));
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        write(request.bucket(), () -> super.clearContainer(request));
    }

    @Override
    public void deleteContainer(String container) {
        write(container, () -> super.deleteContainer(container));
    }

    @Override
    public void deleteBucket(String container) {
        write(container, () -> super.deleteBucket(container));
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        write(container, () -> super.setContainerAccess(container, access));
    }

    @Override
    public PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
        return write(request.bucket(), () -> super.putBucketVersioning(request));
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        write(container, () -> super.setBlobAccess(container, name, access));
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access, String versionId) {
        write(container, () -> super.setBlobAccess(container, name, access, versionId));
    }
}
