package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A shard of a batch draws exactly the noise rows the whole batch has there, and leaves the generator where the whole batch does. */
class FilteredNoiseShardTest {
    static float[] shard(long seed, int first, int rows, int total, int n, long[] after) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = ScopedValue.where(FilteredNoise.SHARD, new FilteredNoise.Shard(first, total))
                .call(() -> FilteredNoise.noise(rng, rows, n).data());
        after[0] = rng.nextLong();
        return x;
    }

    @Test
    void shardRowsAreTheWholeBatchsRows() {
        int n = 1000, total = 6;
        SplittableRandom whole = new SplittableRandom(42);
        float[] all = FilteredNoise.noise(whole, total, n).data();
        long afterWhole = whole.nextLong();
        for (int[] s : new int[][] {{0, 2}, {2, 2}, {4, 2}, {1, 3}, {0, 6}}) {
            long[] after = new long[1];
            float[] part = shard(42, s[0], s[1], total, n, after);
            assertArrayEquals(Arrays.copyOfRange(all, s[0] * n, (s[0] + s[1]) * n), part, 0f, "rows " + s[0] + ".." + (s[0] + s[1]));
            assertEquals(afterWhole, after[0], "the generator after the call");
        }
    }

    @Test
    void aShardOutsideTheBatchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> shard(1, 5, 2, 6, 10, new long[1]));
    }

    @Test
    void unboundItIsTheWholeBatch() {
        float[] a = FilteredNoise.noise(new SplittableRandom(7), 2, 100).data();
        float[] b = shard(7, 0, 2, 2, 100, new long[1]);
        assertArrayEquals(a, b, 0f);
    }
}
