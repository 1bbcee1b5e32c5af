package dev.intake.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.intake.core.ports.ObjectStoreException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A role that may list an import source only under its folder (s3:prefix condition) gets 403, not
 * 404, for a missing object: the store tells "not there" from "not allowed" by listing the key.
 */
class S3ObjectStoreTest {
    private final S3Client s3 = mock(S3Client.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private final S3ObjectStore store = new S3ObjectStore(s3);

    S3ObjectStoreTest() {
        doThrow(S3Exception.builder().statusCode(403).message("Access Denied").build()).when(s3)
                .headObject(any(HeadObjectRequest.class));
    }

    private void listing(S3Object... found) {
        doReturn(ListObjectsV2Response.builder().contents(found).build()).when(s3).listObjectsV2(any(ListObjectsV2Request.class));
    }

    @Test
    void aForbiddenHeadOfAKeyThatListingDoesNotFindIsAMissingFile() {
        listing();
        assertThat(store.head("shared", "in/missing.csv")).isEmpty();
        listing(S3Object.builder().key("in/missing.csv.gz").size(1L).build()); // only a longer key
        assertThat(store.head("shared", "in/missing.csv")).isEmpty();
    }

    @Test
    void aForbiddenHeadOfAListedKeyOrUnderAForbiddenListingIsAccessDeniedAndOfAMissingBucketSaysSo() {
        listing(S3Object.builder().key("in/there.csv").size(1L).build());
        assertThatThrownBy(() -> store.head("shared", "in/there.csv")).isInstanceOf(ObjectStoreException.class)
                .hasMessageStartingWith("Access denied to s3://shared/in/there.csv");
        doThrow(NoSuchBucketException.builder().statusCode(404).build()).when(s3).listObjectsV2(any(ListObjectsV2Request.class));
        assertThatThrownBy(() -> store.head("gone", "in/x.csv")).isInstanceOf(ObjectStoreException.class)
                .hasMessage("Bucket 'gone' does not exist");
        doThrow(S3Exception.builder().statusCode(403).build()).when(s3).listObjectsV2(any(ListObjectsV2Request.class));
        assertThatThrownBy(() -> store.head("shared", "out/x.csv")).isInstanceOf(ObjectStoreException.class)
                .hasMessageStartingWith("Access denied to s3://shared/out/x.csv");
    }
}
