package io.annals.store.rocksdb;

/**
 * What the engine remembers about one index key (a type, a tag, or all events): its first and last time bucket,
 * so an open-ended read starts and stops at buckets that hold rows, and how many rows it has had (a selectivity
 * hint for queries by type and tag; rows of swept events are subtracted). Stored in the {@code buckets} column family.
 */
record BucketRange(long first, long last, long count) {

    BucketRange with(long bucket) {
        return new BucketRange(Math.min(first, bucket), Math.max(last, bucket), count + 1);
    }

    BucketRange less() {
        return new BucketRange(first, last, Math.max(0, count - 1));
    }

    static BucketRange of(long bucket) {
        return new BucketRange(bucket, bucket, 1);
    }

    byte[] encode() {
        byte[] out = new byte[24];
        Keys.putOrdered(out, 0, first);
        Keys.putOrdered(out, 8, last);
        Keys.putLong(out, 16, count);
        return out;
    }

    static BucketRange decode(byte[] in) {
        return in == null ? null : new BucketRange(Keys.getOrdered(in, 0), Keys.getOrdered(in, 8), Keys.getLong(in, 16));
    }
}
