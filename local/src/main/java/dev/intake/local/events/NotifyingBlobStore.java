package dev.intake.local.events;

import java.io.InputStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Tells {@link S3Notifications} of every object S3Proxy's handler creates, once the store has it.
 * The handler writes objects through three methods: {@code putBlob} (PutObject, and POST uploads,
 * which are reported as Put), {@code copyBlob} (CopyObject) and {@code completeMultipartUpload}
 * (CompleteMultipartUpload). A write that throws is not notified.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
    /**
     * The handler keeps each multipart upload's bookkeeping in an object of this name in the upload's
     * bucket (on the filesystem and in-memory stores); no client wrote it, so it is no event.
     */
    static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final S3Notifications notifications;

    NotifyingBlobStore(BlobStore delegate, S3Notifications notifications) {
        super(delegate);
        this.notifications = notifications;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        if (!request.key().startsWith(MULTIPART_STUB_PREFIX)) {
            created("Put", request.bucket(), request.key(), response.eTag(), response.versionId());
        }
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        String eTag = response.copyObjectResult() == null ? null : response.copyObjectResult().eTag();
        created("Copy", request.destinationBucket(), request.destinationKey(), eTag, response.versionId());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created("CompleteMultipartUpload", request.bucket(), request.key(), response.eTag(), response.versionId());
        return response;
    }

    /**
     * The size is read back from the store: the write's answer does not carry it, and a PUT's
     * declared length may be absent (chunked uploads). A write of the same key in between would
     * report that write's size (it is notified itself as well), and one deleted in between, size 0.
     */
    private void created(String eventName, String bucket, String key, String eTag, String versionId) {
        if (!notifications.notifies(bucket)) {
            return;
        }
        HeadObjectResponse stored;
        try {
            stored = delegate().blobMetadata(bucket, key);
        } catch (RuntimeException e) {
            stored = null; // gone again already (deleted meanwhile): notified with what is known
        }
        long size = stored == null || stored.contentLength() == null ? 0 : stored.contentLength();
        String tag = eTag != null || stored == null ? eTag : stored.eTag();
        notifications.objectCreated(eventName, bucket, key, size, tag, versionId);
    }
}
