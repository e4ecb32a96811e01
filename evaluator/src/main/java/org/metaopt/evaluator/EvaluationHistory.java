package org.metaopt.evaluator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.metaopt.core.UserError;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.stream.kafka.EvaluationLog;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.EvaluationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an evaluator has scored on its suite: every evaluation in order, the last scored version and the best so far
 * (kept in {@code best.json}). {@link #restore} rebuilds it from the evaluations topic, so a restarted evaluator
 * neither scores a version twice nor lets a worse version overwrite {@code best.json}. Thread-safe.
 */
final class EvaluationHistory {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationHistory.class);

  private final List<EvaluationRecord> records = new ArrayList<>();
  private long lastScored = -1;
  private EvaluationRecord best;
  private OptimizerVersion bestVersion;

  /**
   * Takes in the evaluations already on the topic of {@code suite} with {@code seeds} seeds (records of another suite
   * or seed count are other experiments and are left alone), and makes {@code outDir/best.json} the best of them:
   * kept when it already is, else read from the versions topic and written.
   *
   * @return how many evaluations were taken in
   */
  int restore(KafkaSettings kafka, String suite, int seeds, Path outDir, Duration timeout) {
    List<EvaluationRecord> mine = EvaluationLog.readAll(kafka, timeout).stream()
        .filter(r -> r.suite().equals(suite) && r.seeds() == seeds).toList();
    EvaluationRecord top = null;
    for (EvaluationRecord r : mine) {
      if (top == null || better(r, top)) {
        top = r;
      }
    }
    OptimizerVersion topVersion = top == null ? null : bestVersionFile(kafka, top, outDir, timeout);
    synchronized (this) {
      for (EvaluationRecord r : mine) {
        records.add(r);
        lastScored = Math.max(lastScored, r.version());
      }
      best = top;
      bestVersion = topVersion;
    }
    return mine.size();
  }

  /** The best version's file: {@code outDir/best.json} when it holds that version, else read from the topic. */
  private static OptimizerVersion bestVersionFile(KafkaSettings kafka, EvaluationRecord top, Path outDir,
      Duration timeout) {
    Path file = outDir == null ? null : outDir.resolve("best.json");
    if (file != null && Files.isRegularFile(file)) {
      try {
        OptimizerVersion there = VersionFiles.read(file);
        if (there.version() == top.version() && there.thetaSha256().equals(top.thetaSha256())) {
          return there;
        }
      } catch (UserError e) {
        LOG.warn("metaopt: {} is not a version file ({}); rewriting it", file, e.getMessage());
      }
    }
    Optional<OptimizerVersion> v = VersionLog.find(kafka, top.version(), timeout)
        .filter(x -> x.thetaSha256().equals(top.thetaSha256()));
    if (v.isEmpty()) {
      LOG.warn("metaopt: the best evaluated version {} is not on {}; best.json is left as it is", top.version(),
          kafka.topics().versions());
      return null;
    }
    if (file != null) {
      VersionFiles.write(v.get(), file);
    }
    return v.get();
  }

  /**
   * Whether {@code newest} is due: nothing scored yet, or it crossed a multiple of {@code every} since the last
   * scored version.
   */
  synchronized boolean due(long newest, int every) {
    return lastScored < 0 || Math.floorDiv(newest, every) > Math.floorDiv(lastScored, every);
  }

  synchronized long lastScored() {
    return lastScored;
  }

  /** Records a published evaluation of {@code v}; returns whether it is the new best. */
  synchronized boolean add(EvaluationRecord r, OptimizerVersion v) {
    records.add(r);
    lastScored = Math.max(lastScored, r.version());
    boolean newBest = best == null || better(r, best);
    if (newBest) {
      best = r;
      bestVersion = v;
    }
    return newBest;
  }

  synchronized List<EvaluationRecord> records() {
    return List.copyOf(records);
  }

  synchronized EvaluationRecord best() {
    return best;
  }

  synchronized OptimizerVersion bestVersion() {
    return bestVersion;
  }

  /** Higher win rate vs the best baseline, then vs tuned Adam, then the lower geometric-mean loss ratio. */
  static boolean better(EvaluationRecord a, EvaluationRecord b) {
    double ba = Double.isNaN(a.winRateVsBest()) ? -1 : a.winRateVsBest();
    double bb = Double.isNaN(b.winRateVsBest()) ? -1 : b.winRateVsBest();
    if (ba != bb) {
      return ba > bb;
    }
    double wa = Double.isNaN(a.winRateTrainLoss()) ? -1 : a.winRateTrainLoss();
    double wb = Double.isNaN(b.winRateTrainLoss()) ? -1 : b.winRateTrainLoss();
    if (wa != wb) {
      return wa > wb;
    }
    double ga = Double.isNaN(a.geometricMeanLossRatio()) ? Double.MAX_VALUE : a.geometricMeanLossRatio();
    double gb = Double.isNaN(b.geometricMeanLossRatio()) ? Double.MAX_VALUE : b.geometricMeanLossRatio();
    return ga < gb;
  }
}
