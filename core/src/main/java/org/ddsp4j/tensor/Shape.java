package org.ddsp4j.tensor;

import java.util.Arrays;

/** Static helpers for shapes (int arrays, row-major): sizes, strides, broadcasting, axis checks. */
public final class Shape {
    private Shape() {}

    /** Number of elements of {@code shape} (1 for a scalar, shape {@code []}). */
    public static int numel(int[] shape) {
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            empty |= d == 0;
        }
        if (empty) return 0;
        long n = 1;
        for (int d : shape) {
            n *= d; // both factors < 2^31: no overflow before the check
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides of {@code shape}, in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** {@code [2, 3]} style text for messages. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The broadcast shape of {@code a} and {@code b} (numpy rules: align trailing dimensions; a
     * dimension of 1 stretches). Throws naming both shapes and the op when they do not broadcast.
     */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
        }
        return out;
    }

    /**
     * Strides of {@code in} viewed at the broadcast shape {@code out} (rank of out): 0 where
     * {@code in} is stretched or missing.
     */
    static int[] broadcastStrides(int[] in, int[] out) {
        int r = out.length;
        int[] st = strides(in);
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - in.length);
            s[i] = (j < 0 || in[j] == 1) ? 0 : st[j];
        }
        return s;
    }

    /** Normalizes a possibly negative axis; throws naming the op and shape when out of range. */
    public static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** Throws unless the two shapes are equal. */
    public static void requireSame(int[] a, int[] b, String op) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " must be equal");
        }
    }
}
