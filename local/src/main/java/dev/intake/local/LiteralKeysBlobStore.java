package dev.intake.local;

import java.io.InputStream;
import java.util.List;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3 takes keys literally: {@code a/../b}, {@code a/./b} and {@code a//b} are three keys, none of
 * them {@code b} or {@code a/b}. S3Proxy's stores keep each object in a file named by its key, and
 * a file path cannot hold such a key (it resolves {@code ..}, drops {@code .} and empty segments),
 * so they would be stored, read, listed or deleted under another key. This store refuses every
 * request whose key or listing prefix has such a segment with 400 InvalidArgument naming it, and
 * likewise a key that would need a file to be a folder too ({@code a} and {@code a/b}), which the
 * file store fails on with a 500 after the client's retries.
 */
final class LiteralKeysBlobStore extends ForwardingBlobStore {
    LiteralKeysBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /**
     * Whether a key has a segment a file path cannot hold: empty (a leading slash or two in a row;
     * a trailing slash, S3's folder marker, is fine), {@code .} or {@code ..}.
     */
    static boolean representable(String key) {
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && !last)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A listing prefix: as a key, except that its last segment may be the start of longer names
     * ({@code a/..} lists {@code a/..data/x} as S3 does).
     */
    static boolean representablePrefix(String prefix) {
        int slash = prefix.lastIndexOf('/');
        return slash < 0 || representable(prefix.substring(0, slash + 1));
    }

    private static String key(String key) {
        if (key != null && !representable(key)) {
            throw S3Exceptions.invalidArgument(refusal("key", key));
        }
        return key;
    }

    private static String prefix(String prefix) {
        if (prefix != null && !representablePrefix(prefix)) {
            throw S3Exceptions.invalidArgument(refusal("prefix", prefix));
        }
        return prefix;
    }

    static String refusal(String what, String value) {
        return "The local S3 endpoint cannot store the " + what + " '" + value + "' as it is: a segment that is '.',"
                + " '..' or empty (a leading '/' or '//') would name another key in its file store. Use a " + what
                + " without them (AWS S3 takes such keys literally)";
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        prefix(request.prefix());
        key(request.startAfter());
        return super.list(request);
    }

    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        prefix(request.prefix());
        key(request.keyMarker());
        return super.listVersions(request);
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        prefix(request.prefix());
        super.clearContainer(request);
    }

    @Override
    public boolean blobExists(String container, String name) {
        return super.blobExists(container, key(name));
    }

    /**
     * A key about to be written: representable, and neither inside another object's name ({@code a}
     * and {@code a/b}: a file cannot also be a folder) nor around other objects.
     */
    private void writable(String container, String key) {
        key(key);
        String bare = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        for (int slash = bare.indexOf('/'); slash >= 0; slash = bare.indexOf('/', slash + 1)) {
            String outer = bare.substring(0, slash);
            if (delegate().blobExists(container, outer)) {
                throw S3Exceptions.invalidArgument(conflict(key, outer));
            }
        }
        if (key.endsWith("/")) {
            if (delegate().blobExists(container, bare)) {
                throw S3Exceptions.invalidArgument(conflict(key, bare));
            }
        } else {
            ListObjectsV2Response inner = delegate().list(ListObjectsV2Request.builder().bucket(container)
                    .prefix(key + "/").maxKeys(1).build());
            if (inner.hasContents() && !inner.contents().isEmpty()) {
                throw S3Exceptions.invalidArgument(conflict(key, inner.contents().get(0).key()));
            }
        }
    }

    static String conflict(String key, String other) {
        return "The local S3 endpoint cannot store the key '" + key + "' next to the key '" + other + "': its file store"
                + " keeps each key as a file, and a file cannot also be a folder (AWS S3 stores both)";
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        writable(request.bucket(), request.key());
        return super.putBlob(request, content);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        key(request.sourceKey());
        writable(request.destinationBucket(), request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        key(request.key());
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        key(request.key());
        return super.getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        key(request.key());
        return super.removeBlob(request);
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        if (request.delete() != null) {
            List<ObjectIdentifier> objects = request.delete().objects();
            objects.forEach(o -> key(o.key()));
        }
        return super.removeBlobs(request);
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name) {
        return super.getBlobAccess(container, key(name));
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name, String versionId) {
        return super.getBlobAccess(container, key(name), versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        key(request.key());
        return super.getBlobAcl(request);
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        super.setBlobAccess(container, key(name), access);
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access, String versionId) {
        super.setBlobAccess(container, key(name), access, versionId);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        writable(request.bucket(), request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        key(upload.blobName());
        super.abortMultipartUpload(upload);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        key(upload.blobName());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        key(upload.blobName());
        return super.uploadMultipartPart(upload, request, content);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        key(upload.blobName());
        return super.listMultipartUpload(upload);
    }
}
