package org.ddsp4j.spark;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.UnaryOperator;

/**
 * The all-gather of {@link RingAllReduce#connect} for workers that are threads of one JVM (benchmarks, tests):
 * each worker's message, in rank order, once every worker has called. Spark's {@code BarrierTaskContext.allGather}
 * does the same across executors.
 */
public final class LocalRendezvous {
    private final String[] messages;
    private final CyclicBarrier barrier;

    public LocalRendezvous(int workers) {
        messages = new String[workers];
        barrier = new CyclicBarrier(workers);
    }

    /** The all-gather worker {@code rank} passes to {@link RingAllReduce#connect}. */
    public UnaryOperator<String[]> of(int rank) {
        return msg -> {
            messages[rank] = msg[0];
            await();
            String[] all = messages.clone();
            await();   // nobody overwrites a message before everyone has read them all
            return all;
        };
    }

    /** Waits until every worker has come here (also a barrier for the workers' own use). */
    public void await() {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rendezvous interrupted", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("rendezvous broken: another worker failed", e);
        }
    }
}
