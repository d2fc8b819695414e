package org.ddsp4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.ddsp4j.train.GradientExchange;

/**
 * Ring all-reduce over TCP (Patarasuk and Yuan 2009): the buffer is cut into {@code W} chunks; in {@code W - 1}
 * reduce-scatter steps each worker passes a chunk to the next and adds the one from the previous worker, so that
 * worker {@code r} ends up holding the complete sum of chunk {@code r + 1}; in {@code W - 1} all-gather steps
 * those sums go round. Each worker sends {@code 2 (W - 1) / W} of the buffer per call, whatever {@code W}.
 *
 * <p>Same bits everywhere: chunk {@code c}'s sum is always formed in the ring order starting at worker
 * {@code c}, and the finished chunk is copied, not re-added; so every worker gets the same floats, and two runs
 * with the same {@code W} give the same floats.
 *
 * <p>Rendezvous: every worker listens on a free port and passes {@code host:port} to {@code allGather}, which
 * returns every worker's message in rank order (Spark's {@code BarrierTaskContext.allGather}); each then connects
 * to the next worker and accepts the previous one. A dead peer ends a call with an {@link IOException} (a reset
 * or closed connection), and a peer that does not connect within {@link #CONNECT_TIMEOUT_MS} fails the set-up.
 */
public final class RingAllReduce implements GradientExchange, AutoCloseable {
    /** How long the set-up waits for the previous worker to connect. */
    static final int CONNECT_TIMEOUT_MS = 120_000;

    private final int rank, workers;
    private final SocketChannel toNext, fromPrevious;
    private final ExecutorService sender;
    private ByteBuffer sendBuf, recvBuf;
    private long bytesSent, calls, nanos;

    private RingAllReduce(int rank, int workers, SocketChannel toNext, SocketChannel fromPrevious) {
        this.rank = rank;
        this.workers = workers;
        this.toNext = toNext;
        this.fromPrevious = fromPrevious;
        this.sender = workers > 1 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ddsp4j-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Joins the ring.
     *
     * @param rank      this worker, {@code 0 .. workers - 1}
     * @param workers   the ring's size
     * @param host      the address the other workers reach this one at
     * @param allGather sends this worker's message and returns all of them, in rank order
     */
    public static RingAllReduce connect(int rank, int workers, String host, UnaryOperator<String[]> allGather) throws IOException {
        if (workers < 1 || rank < 0 || rank >= workers) throw new IllegalArgumentException("rank " + rank + " of " + workers + " workers");
        if (workers == 1) return new RingAllReduce(0, 1, null, null);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(host, 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            String[] all = allGather.apply(new String[] {host + ":" + port});
            if (all.length != workers) throw new IOException("rendezvous: " + all.length + " addresses for " + workers + " workers");
            String next = all[(rank + 1) % workers];
            int colon = next.lastIndexOf(':');
            SocketChannel out = SocketChannel.open(new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))));
            out.socket().setTcpNoDelay(true);
            ByteBuffer hello = ByteBuffer.allocate(4).putInt(rank).flip();
            while (hello.hasRemaining()) out.write(hello);
            server.socket().setSoTimeout(CONNECT_TIMEOUT_MS);
            Socket s;
            try {
                s = server.socket().accept();
            } catch (SocketTimeoutException e) {
                out.close();
                throw new IOException("rendezvous: worker " + (rank + workers - 1) % workers + " did not connect within "
                        + CONNECT_TIMEOUT_MS / 1000 + " s", e);
            }
            SocketChannel in = s.getChannel();
            in.socket().setTcpNoDelay(true);
            ByteBuffer who = ByteBuffer.allocate(4);
            while (who.hasRemaining()) if (in.read(who) < 0) throw new IOException("rendezvous: the previous worker hung up");
            int from = who.flip().getInt();
            if (from != (rank + workers - 1) % workers) {
                throw new IOException("rendezvous: worker " + rank + " expected worker " + (rank + workers - 1) % workers + ", got " + from);
            }
            return new RingAllReduce(rank, workers, out, in);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Bytes this worker has sent, over all calls. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Calls of {@link #allReduceSum} so far. */
    public long calls() {
        return calls;
    }

    /** Seconds spent in {@link #allReduceSum} so far (waiting for slower workers included). */
    public double seconds() {
        return nanos / 1e9;
    }

    @Override
    public void allReduceSum(float[] buf) throws IOException {
        calls++;
        if (workers == 1) return;
        long t0 = System.nanoTime();
        int n = buf.length;
        int maxChunk = (n + workers - 1) / workers;
        if (sendBuf == null || sendBuf.capacity() < maxChunk * 4) {
            sendBuf = ByteBuffer.allocateDirect(maxChunk * 4).order(ByteOrder.LITTLE_ENDIAN);
            recvBuf = ByteBuffer.allocateDirect(maxChunk * 4).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (int s = 0; s < workers - 1; s++) {
            exchange(buf, Math.floorMod(rank - s, workers), Math.floorMod(rank - s - 1, workers), true);
        }
        for (int s = 0; s < workers - 1; s++) {
            exchange(buf, Math.floorMod(rank + 1 - s, workers), Math.floorMod(rank - s, workers), false);
        }
        nanos += System.nanoTime() - t0;
    }

    private int chunkStart(int c, int n) {
        return (int) ((long) c * n / workers);
    }

    /** Sends chunk {@code out} to the next worker while receiving chunk {@code in} from the previous one. */
    private void exchange(float[] buf, int out, int in, boolean add) throws IOException {
        int n = buf.length;
        int o0 = chunkStart(out, n), o1 = chunkStart(out + 1, n), i0 = chunkStart(in, n), i1 = chunkStart(in + 1, n);
        sendBuf.clear();
        sendBuf.asFloatBuffer().put(buf, o0, o1 - o0);
        sendBuf.limit((o1 - o0) * 4);
        Future<?> sent = sender.submit(() -> {
            while (sendBuf.hasRemaining()) toNext.write(sendBuf);
            return null;
        });
        recvBuf.clear().limit((i1 - i0) * 4);
        try {
            while (recvBuf.hasRemaining()) {
                if (fromPrevious.read(recvBuf) < 0) throw new IOException("worker " + (rank + workers - 1) % workers + " hung up");
            }
            sent.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("all-reduce interrupted");
        } finally {
            sent.cancel(true);
        }
        bytesSent += (o1 - o0) * 4L;
        recvBuf.flip();
        java.nio.FloatBuffer f = recvBuf.asFloatBuffer();
        if (add) {
            for (int i = i0; i < i1; i++) buf[i] += f.get(i - i0);
        } else {
            f.get(buf, i0, i1 - i0);
        }
    }

    @Override
    public void close() throws IOException {
        if (sender != null) sender.shutdownNow();
        if (toNext != null) toNext.close();
        if (fromPrevious != null) fromPrevious.close();
    }
}
