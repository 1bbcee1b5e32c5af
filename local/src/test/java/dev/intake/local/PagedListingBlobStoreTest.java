package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A listing's pages cut from one listing of the prefix are the pages the store itself answers, page
 * for page, also when the bucket is written between pages; and the store lists the prefix once per
 * listing instead of once per page.
 */
class PagedListingBlobStoreTest {
    private static final String BUCKET = "pages";

    /** Counts the listings the wrapped store is asked for. */
    private static final class CountingStore extends ForwardingBlobStore {
        final AtomicInteger listings = new AtomicInteger();

        CountingStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            listings.incrementAndGet();
            return super.list(request);
        }
    }

    private TransientNio2BlobStore store;
    private CountingStore counting;
    private PagedListingBlobStore paged;

    @BeforeEach
    void stores() {
        store = new TransientNio2BlobStore();
        counting = new CountingStore(store);
        paged = new PagedListingBlobStore(counting);
        paged.createContainer(CreateBucketRequest.builder().bucket(BUCKET).build());
    }

    private void put(BlobStore target, String key) {
        byte[] bytes = ("at " + key).getBytes(StandardCharsets.UTF_8);
        target.putBlob(PutObjectRequest.builder().bucket(BUCKET).key(key).contentLength((long) bytes.length).build(),
                new ByteArrayInputStream(bytes));
    }

    /** Objects at two levels, folders with and without a folder marker, and names that sort around '/'. */
    private void putMixedKeys(BlobStore target) {
        for (int i = 0; i < 23; i++) {
            put(target, String.format("data/part-%03d.csv", i));
        }
        for (String key : List.of("data/sub/a.csv", "data/sub/b.csv", "data/marker/", "data/marker/x.csv",
                "data/other/y.csv", "data-2.csv", "data.csv", "data0/z.csv", "top.csv", "zz/deep/er/k.csv")) {
            put(target, key);
        }
    }

    private static ListObjectsV2Request request(String prefix, String delimiter, Integer maxKeys, String token,
                                                String startAfter) {
        return ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).delimiter(delimiter).maxKeys(maxKeys)
                .continuationToken(token).startAfter(startAfter).build();
    }

    /** Pages through both stores with continuation tokens, asserting each page alike; returns the pages. */
    private List<ListObjectsV2Response> pagesAlike(String prefix, String delimiter, int maxKeys) {
        List<ListObjectsV2Response> pages = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response expected = store.list(request(prefix, delimiter, maxKeys, token, null));
            ListObjectsV2Response page = paged.list(request(prefix, delimiter, maxKeys, token, null));
            assertThat(page).as("page after %s of prefix %s, delimiter %s, %d keys", token, prefix, delimiter, maxKeys)
                    .isEqualTo(expected);
            pages.add(page);
            token = page.nextContinuationToken();
        } while (token != null);
        return pages;
    }

    @Test
    void everyPageIsThePageTheStoreAnswers() {
        putMixedKeys(paged);
        for (String prefix : new String[] {null, "", "data", "data/", "data/part-01", "data/marker/", "zz/", "none/"}) {
            for (String delimiter : new String[] {null, "/"}) {
                for (int maxKeys : new int[] {1, 2, 7, 1000}) {
                    pagesAlike(prefix, delimiter, maxKeys);
                }
                // start-after (ListObjects V1's marker rides on it), also a name that is not listed
                for (String startAfter : new String[] {"data/part-004.csv", "data/part-0045", "data/sub/", "zzz"}) {
                    assertThat(paged.list(request(prefix, delimiter, 5, null, startAfter)))
                            .isEqualTo(store.list(request(prefix, delimiter, 5, null, startAfter)));
                }
                assertThat(paged.list(request(prefix, delimiter, 0, null, null)))
                        .isEqualTo(store.list(request(prefix, delimiter, 0, null, null)));
                assertThat(paged.list(request(prefix, delimiter, null, null, null)))
                        .isEqualTo(store.list(request(prefix, delimiter, null, null, null)));
            }
        }
    }

    @Test
    void theStoreListsThePrefixOncePerListingNotOncePerPage() {
        for (int i = 0; i < 50; i++) {
            put(paged, String.format("objects/part-%03d.csv", i));
        }
        counting.listings.set(0);

        List<ListObjectsV2Response> pages = pagesAlike("objects/", null, 5);

        assertThat(pages).hasSize(10);
        assertThat(pages.stream().flatMap(p -> p.contents().stream()).map(S3Object::key))
                .hasSize(50).isSorted().doesNotHaveDuplicates();
        assertThat(counting.listings).as("one listing for the 10 pages").hasValue(1);
    }

    @Test
    void aWriteBetweenPagesIsInTheNextPageAsTheStoreWouldAnswerIt() {
        for (int i = 0; i < 20; i += 2) {
            put(paged, String.format("objects/part-%03d.csv", i));
        }
        ListObjectsV2Response first = paged.list(request("objects/", null, 4, null, null));
        assertThat(first.nextContinuationToken()).isEqualTo("objects/part-006.csv");

        // An object after the token, and one before it; then one of the next page deleted.
        put(paged, "objects/part-007.csv");
        put(paged, "objects/part-001.csv");
        paged.removeBlob(DeleteObjectRequest.builder().bucket(BUCKET).key("objects/part-008.csv").build());
        ListObjectsV2Response second = paged.list(request("objects/", null, 4, first.nextContinuationToken(), null));

        assertThat(second).isEqualTo(store.list(request("objects/", null, 4, first.nextContinuationToken(), null)));
        assertThat(second.contents()).extracting(S3Object::key).containsExactly("objects/part-007.csv",
                "objects/part-010.csv", "objects/part-012.csv", "objects/part-014.csv");

        // A write to another bucket leaves the listing kept.
        paged.createContainer(CreateBucketRequest.builder().bucket("elsewhere").build());
        int before = counting.listings.get();
        paged.list(request("objects/", null, 4, second.nextContinuationToken(), null));
        assertThat(counting.listings.get()).isEqualTo(before);
    }

    @Test
    void theS3EndpointPagesAListingWithTokensAndSeesWritesBetweenPages() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory(0, java.time.Duration.ZERO)) {
            s3.createBucket(BUCKET);
            S3Client client = s3.client();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = String.format("objects/part-%03d.csv", i);
                keys.add(key);
                client.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("ID\n" + i + "\n"));
            }
            List<String> listed = new ArrayList<>();
            boolean written = false;
            for (var page : client.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix("objects/").maxKeys(7))) {
                page.contents().forEach(o -> listed.add(o.key()));
                if (!written) {
                    // after the first page: an object that sorts after it is listed by a later page
                    client.putObject(r -> r.bucket(BUCKET).key("objects/part-020-late.csv"), RequestBody.fromString("ID\n"));
                    written = true;
                }
            }
            keys.add("objects/part-020-late.csv");
            assertThat(listed).containsExactlyElementsOf(keys.stream().sorted().toList());
            // ListObjects V1 pages by marker over the same listing
            List<String> listedByMarker = new ArrayList<>();
            String marker = null;
            do {
                String after = marker;
                var page = client.listObjects(r -> r.bucket(BUCKET).prefix("objects/").maxKeys(4).marker(after));
                page.contents().forEach(o -> listedByMarker.add(o.key()));
                marker = page.isTruncated() ? page.nextMarker() : null;
            } while (marker != null);
            assertThat(listedByMarker).isEqualTo(listed);
        }
    }
}
