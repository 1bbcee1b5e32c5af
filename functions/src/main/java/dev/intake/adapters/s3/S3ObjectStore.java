package dev.intake.adapters.s3;

import dev.intake.core.DataLocation;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.StoredObject;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 behind the engine's object port; S3 errors become messages a job can show its user. */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;

    public S3ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        try {
            List<StoredObject> found = new ArrayList<>();
            s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()
                    .forEach(o -> found.add(new StoredObject(bucket, o.key(), o.size(), o.eTag())));
            found.sort(Comparator.comparing(StoredObject::key));
            return found;
        } catch (RuntimeException e) {
            throw translate(e, bucket, prefix);
        }
    }

    @Override
    public Optional<StoredObject> head(String bucket, String key) {
        try {
            var head = s3.headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(new StoredObject(bucket, key, head.contentLength(), head.eTag()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                // HEAD has no body, so a missing bucket and a missing key look alike; tell them apart.
                if (!bucketExists(bucket)) {
                    throw new ObjectStoreException("Bucket '" + bucket + "' does not exist", false, e);
                }
                return Optional.empty();
            }
            if (e.statusCode() == 400) {
                throw translate(whyRefused(bucket, key, e), bucket, key);
            }
            if (e.statusCode() == 403 && !listedExactly(bucket, key)) {
                // S3 answers 403 for a missing key to a role that may list the bucket only under a
                // prefix (the import sources' s3:prefix condition); listing that key tells them apart.
                return Optional.empty();
            }
            throw translate(e, bucket, key);
        } catch (RuntimeException e) {
            throw translate(e, bucket, key);
        }
    }

    /** A HEAD answer has no body, so a refused HEAD says nothing: a one-byte GET has S3's reason. */
    private S3Exception whyRefused(String bucket, String key, S3Exception head) {
        try (InputStream ignored = s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=0-0"))) {
            return head;
        } catch (S3Exception get) {
            return get.awsErrorDetails() != null && get.awsErrorDetails().errorCode() != null ? get : head;
        } catch (java.io.IOException | RuntimeException other) {
            return head;
        }
    }

    /** Whether listing the key as a prefix finds it; a listing that is refused as well says nothing. */
    private boolean listedExactly(String bucket, String key) {
        try {
            return s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).prefix(key).maxKeys(1).build()).contents()
                    .stream().anyMatch(o -> o.key().equals(key));
        } catch (NoSuchBucketException e) {
            throw new ObjectStoreException("Bucket '" + bucket + "' does not exist", false, e);
        } catch (S3Exception e) {
            return true;
        } catch (RuntimeException e) {
            throw translate(e, bucket, key);
        }
    }

    private boolean bucketExists(String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            return e.statusCode() != 404;
        }
    }

    @Override
    public InputStream open(String bucket, String key, long start, long endExclusive, String etag) {
        if (endExclusive <= start) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=" + start + "-" + (endExclusive - 1))
                    .ifMatch(etag));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectStoreException(DataLocation.uri(bucket, key) + " was replaced after the import planned it"
                        + " (planned version: ETag " + etag + "); an import reads only the versions it planned: import"
                        + " it again", false, e);
            }
            if (etag != null && (e instanceof NoSuchKeyException || e.statusCode() == 404)) {
                throw new ObjectStoreException(DataLocation.uri(bucket, key) + " was deleted after the import planned it"
                        + " (planned version: ETag " + etag + "); import the location again", false, e);
            }
            throw translate(e, bucket, key);
        } catch (RuntimeException e) {
            throw translate(e, bucket, key);
        }
    }

    @Override
    public InputStream read(String bucket, String key) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key));
        } catch (RuntimeException e) {
            throw translate(e, bucket, key);
        }
    }

    @Override
    public void deleteAll(String bucket, String prefix) {
        try {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                    .contents()) {
                batch.add(ObjectIdentifier.builder().key(o.key()).build());
                if (batch.size() == 1000) { // DeleteObjects takes at most 1,000 keys
                    delete(bucket, batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                delete(bucket, batch);
            }
        } catch (RuntimeException e) {
            throw translate(e, bucket, prefix);
        }
    }

    private void delete(String bucket, List<ObjectIdentifier> keys) {
        var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().get(0);
            throw new ObjectStoreException("Could not delete " + DataLocation.uri(bucket, first.key()) + " ("
                    + first.code() + ")", true, null);
        }
    }

    @Override
    public void put(String bucket, String key, byte[] body, String contentType) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body));
        } catch (RuntimeException e) {
            throw translate(e, bucket, key);
        }
    }

    private static ObjectStoreException translate(RuntimeException e, String bucket, String key) {
        String where = DataLocation.uri(bucket, key);
        if (e instanceof NoSuchBucketException) {
            return new ObjectStoreException("Bucket '" + bucket + "' does not exist", false, e);
        }
        if (e instanceof NoSuchKeyException) {
            return new ObjectStoreException(where + " does not exist", false, e);
        }
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            if (status == 403) {
                return new ObjectStoreException("Access denied to " + where
                        + "; grant the import role s3:GetObject and s3:ListBucket on it", false, e);
            }
            if (status == 404) {
                return new ObjectStoreException(where + " does not exist", false, e);
            }
            if (status == 400 && s3e.awsErrorDetails() != null && s3e.awsErrorDetails().errorCode() != null) {
                // The request itself is wrong (e.g. a key the endpoint refuses): S3's words say how.
                return new ObjectStoreException("S3 refused " + where + " (" + s3e.awsErrorDetails().errorCode() + "): "
                        + s3e.awsErrorDetails().errorMessage(), false, e);
            }
            return new ObjectStoreException("S3 could not serve " + where + " (HTTP " + status + ")", status >= 500 || status == 429, e);
        }
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException other) {
            // Not S3 itself: getting the job role's credentials (STS) failed.
            return new ObjectStoreException("Could not act as the job's role to read " + where + " ("
                    + other.awsErrorDetails().errorCode() + "); its trust policy must allow Intake's ingest roles "
                    + "to assume it", false, e);
        }
        if (e instanceof SdkClientException) {
            return new ObjectStoreException("Could not reach S3 for " + where, true, e);
        }
        throw e;
    }
}
