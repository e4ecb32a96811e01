package org.metaopt.producer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;

/**
 * The producer's meters ({@code metaopt.producer.*}), read from the service's own counters when scraped; the send
 * latency timer is recorded by the sink on every acknowledgement. No tags: one producer per process (Prometheus'
 * {@code instance} label tells producers apart). Reference: docs/metrics.md.
 */
final class ProducerMetrics implements MeterBinder {
  static final String SEND_LATENCY = "metaopt.producer.send.latency";

  private final ProducerService service;

  ProducerMetrics(ProducerService service) {
    this.service = service;
  }

  @Override
  public void bindTo(MeterRegistry r) {
    ProducerService s = service;
    FunctionCounter.builder("metaopt.producer.segments.sent", s, ProducerService::segmentsSent)
        .description("Segments acknowledged by the broker on the trajectories topic").baseUnit("segments")
        .register(r);
    FunctionCounter.builder("metaopt.producer.optimizee.steps", s, ProducerService::innerSteps)
        .description("Optimizee steps run by the workers, both sides of every antithetic pair (rate() = steps/s)")
        .baseUnit("steps").register(r);
    FunctionCounter.builder("metaopt.producer.segments.diverged", s, ProducerService::divergedSegments)
        .description("Segments in which a side of the trajectory diverged (loss not finite or exploded)")
        .baseUnit("segments").register(r);
    FunctionCounter.builder("metaopt.producer.send.retries", s, x -> x.sink().retried())
        .description("Sends that failed transiently after the client's own retries and were queued again")
        .baseUnit("records").register(r);
    FunctionCounter.builder("metaopt.producer.send.failures", s, x -> x.sink().failed())
        .description("Segments that could not be sent (non-retriable error) and were dropped").baseUnit("records")
        .register(r);
    FunctionCounter.builder("metaopt.producer.follower.failures", s, ProducerService::followerFailures)
        .description("Failures of the versions-topic follower, each retried with backoff; a follower down past its "
            + "limit stops the producer").baseUnit("failures").register(r);
    Gauge.builder("metaopt.producer.queue.size", s, x -> x.sink().queued())
        .description("Encoded segments waiting in the bounded send queue").baseUnit("records").register(r);
    Gauge.builder("metaopt.producer.version", s,
            x -> x.latestVersion() == null ? Double.NaN : x.latestVersion().version())
        .description("Newest optimizer version the producer follows (NaN before the first)").baseUnit("versions")
        .register(r);
    s.sink().sendLatency(Timer.builder(SEND_LATENCY)
        .description("Time from taking a segment off the send queue to the broker's acknowledgement")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(r));
  }
}
