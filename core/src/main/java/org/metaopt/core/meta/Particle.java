package org.metaopt.core.meta;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.flatness.FlatnessConfig;
import org.metaopt.core.flatness.FlatnessProbe;
import org.metaopt.core.flatness.FlatnessTerms;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.Trainer;

/**
 * One antithetic pair of inner trajectories on one task, run segment by segment with a learned optimizer (the
 * worker side of ES/PES). Both sides start from the same parameters and see the same minibatches; the + side
 * uses θ + σ z, the − side θ − σ z, with a fresh z per segment. Inner state (parameters, the learned optimizer's
 * moments and hidden states) persists across the segments of a trajectory and is reset between trajectories.
 *
 * <p>A diverging side (non-finite loss or gradient, or a loss above {@code blowUpFactor · f_0}) stops updating
 * and reports the capped loss for the rest of the segment, and the trajectory ends: a blow-up becomes a bounded
 * meta-loss, never a NaN in θ. Not thread-safe: one particle per worker thread.
 */
public final class Particle {
  private final long id;
  private final TaskSource tasks;
  private Task task;
  private TaskSpec spec;
  private final LearnedOptimizer architecture;
  private final TruncationSchedule schedule;
  private final EstimatorKind kind;
  private final double sigma;
  private final double blowUpFactor;
  private final boolean validationWanted;
  private final boolean randomStartOffset;
  private boolean measureValidation;
  private final FlatnessProbe flatness;
  private final SplittableRandom rng;
  private final Side pos;
  private final Side neg;
  private final float[] z;
  private final float[] thetaPert;

  private int[] plan;
  private int segment;
  private int stepOffset;
  private long trajectory = -1;
  private long[] seeds = new long[0];
  private double initialLoss;
  private FlatnessTerms flatnessStart;
  private boolean recordRawGradients;

  /**
   * Parameters of a particle beyond its task and architecture.
   *
   * @param randomStartOffset the particle's first trajectory starts at a random step of its plan (the steps before
   *     it are not run), so particles started together do not reach their trajectories' ends together (Celo2's and
   *     learned_optimization's "random initial step offset")
   */
  public record Settings(EstimatorKind kind, double sigma, double blowUpFactor, boolean measureValidation,
      FlatnessConfig flatness, boolean randomStartOffset) {

    /** Without the random start offset. */
    public Settings(EstimatorKind kind, double sigma, double blowUpFactor, boolean measureValidation,
        FlatnessConfig flatness) {
      this(kind, sigma, blowUpFactor, measureValidation, flatness, false);
    }

    public Settings {
      if (!(sigma > 0) || Double.isInfinite(sigma)) {
        throw new IllegalArgumentException("sigma " + sigma + " must be finite and > 0");
      }
      if (!(blowUpFactor > 1)) {
        throw new IllegalArgumentException("blowUpFactor " + blowUpFactor + " must be > 1");
      }
    }
  }

  /** A particle on one task for its whole life. */
  public Particle(long id, Task task, TaskSpec spec, LearnedOptimizer architecture, TruncationSchedule schedule,
      Settings settings, long seed) {
    this(id, TaskSource.fixed(spec, task), architecture, schedule, settings, seed);
  }

  /** A particle whose every trajectory runs on the next task of {@code tasks}. */
  public Particle(long id, TaskSource tasks, LearnedOptimizer architecture, TruncationSchedule schedule,
      Settings settings, long seed) {
    this.id = id;
    this.tasks = tasks;
    this.architecture = architecture;
    this.schedule = settings.kind() == EstimatorKind.FULL_ES ? wholeTrajectories(schedule) : schedule;
    this.kind = settings.kind();
    this.sigma = settings.sigma();
    this.blowUpFactor = settings.blowUpFactor();
    this.validationWanted = settings.measureValidation();
    this.randomStartOffset = settings.randomStartOffset();
    this.flatness = settings.flatness() != null && !settings.flatness().terms().isEmpty()
        ? new FlatnessProbe(settings.flatness()) : null;
    this.rng = new SplittableRandom(seed);
    this.pos = new Side();
    this.neg = new Side();
    this.z = new float[architecture.numMetaParams()];
    this.thetaPert = new float[architecture.numMetaParams()];
  }

  /**
   * Whether segments carry the raw per-step gradients of both sides ({@link Segment.RawGradients}); off by default,
   * since they hold steps × parameters floats. Takes effect from the next segment.
   */
  public void recordRawGradients(boolean on) {
    this.recordRawGradients = on;
  }

  /** FULL_ES runs each trajectory as one segment: the schedule's segments are merged. */
  private static TruncationSchedule wholeTrajectories(TruncationSchedule inner) {
    return r -> new int[] {Arrays.stream(inner.sampleTrajectory(r)).sum()};
  }

  /** Runs the next segment of both sides with {@code theta} (the optimizer version {@code version}). */
  public Segment next(float[] theta, long version) {
    if (plan == null || segment >= plan.length) {
      startTrajectory(theta);
    }
    long seed = rng.nextLong();
    seeds = kind == EstimatorKind.PES ? append(seeds, seed) : new long[] {seed};
    Perturbations.normal(seed, z);
    int steps = plan[segment];
    long batchSeed = rng.nextLong();
    perturb(theta, +1);
    pos.swapTheta(thetaPert);
    pos.run(steps, batchSeed);
    perturb(theta, -1);
    neg.swapTheta(thetaPert);
    neg.run(steps, batchSeed);
    boolean diverged = pos.diverged || neg.diverged;
    boolean ends = segment == plan.length - 1 || diverged;
    Segment out = new Segment(id, trajectory, segment, ends, version, kind, sigma, seeds.clone(), spec, stepOffset,
        initialLoss, pos.losses.clone(), neg.losses.clone(), pos.gradNorms.clone(), neg.gradNorms.clone(),
        pos.terms(ends), neg.terms(ends), pos.diverged, neg.diverged,
        recordRawGradients ? new Segment.RawGradients(task.numParams(), pos.rawGradients, neg.rawGradients) : null,
        flatnessStart);
    stepOffset += steps;
    segment = ends ? plan.length : segment + 1;
    return out;
  }

  private void startTrajectory(float[] theta) {
    trajectory++;
    TaskSource.Drawn drawn = tasks.next(rng);
    task = drawn.task();
    spec = drawn.spec();
    measureValidation = validationWanted && task.hasSplit(Split.VALIDATION);
    plan = schedule.sampleTrajectory(rng);
    if (randomStartOffset && trajectory == 0) {
      int total = Arrays.stream(plan).sum();
      plan = TruncationSchedule.cut(total - rng.nextInt(total), plan[0]);
    }
    segment = 0;
    stepOffset = 0;
    seeds = new long[0];
    long initSeed = rng.nextLong();
    int total = Arrays.stream(plan).sum();
    pos.reset(initSeed, theta, total);
    neg.reset(initSeed, theta, total);
    Batch first = task.sampleBatch(new SplittableRandom(initSeed));
    initialLoss = task.loss(pos.w, first);
    // The normalizer of this trajectory's flatness terms (FlatnessNormalization): once, at the shared start.
    flatnessStart = flatness == null ? null : flatness.measure(task, pos.w, first, trajectory * 1_000_003L - 1);
  }

  private void perturb(float[] theta, int sign) {
    for (int i = 0; i < theta.length; i++) {
      thetaPert[i] = (float) (theta[i] + sign * sigma * z[i]);
    }
  }

  private static long[] append(long[] a, long x) {
    long[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = x;
    return b;
  }

  /** One side's inner state. */
  private final class Side {
    float[] w = new float[0];
    float[] g = new float[0];
    /** Where the gradient is taken: {@code w} itself unless the optimizer looks ahead. */
    float[] at;
    LearnedUpdate opt;
    float[] losses = new float[0];
    float[] gradNorms = new float[0];
    float[] rawGradients;
    boolean diverged;
    double lastLoss;
    Batch lastBatch;

    void reset(long initSeed, float[] theta, int totalSteps) {
      if (w.length != task.numParams()) {
        w = new float[task.numParams()];
        g = new float[w.length];
      }
      System.arraycopy(task.initialParams(initSeed), 0, w, 0, w.length);
      opt = architecture.create(theta, task.layout(), totalSteps);
      at = opt.looksAhead() ? new float[w.length] : w;
      diverged = false;
    }

    /**
     * Swaps the side's θ in; on a trajectory's first segment also resets the optimizer's (still untouched) state,
     * so the perturbed θ's initial states (RNN h0, initial learning rates) act too.
     */
    void swapTheta(float[] theta) {
      opt.setMetaParams(theta);
      if (segment == 0) {
        opt.reset();
      }
    }

    void run(int steps, long batchSeed) {
      losses = new float[steps];
      gradNorms = new float[steps];
      rawGradients = recordRawGradients ? new float[steps * g.length] : null;
      if (rawGradients != null) {
        Arrays.fill(rawGradients, Float.NaN);
      }
      SplittableRandom batches = new SplittableRandom(batchSeed);
      double cap = blowUpFactor * Math.max(Math.abs(initialLoss), 1e-3);
      for (int s = 0; s < steps; s++) {
        Batch b = task.sampleBatch(batches);
        lastBatch = b;
        if (diverged) {
          losses[s] = (float) cap;
          gradNorms[s] = Float.NaN;
          continue;
        }
        double loss = Trainer.lossAndGradient(task, opt, w, at, b, g); // look-ahead aware
        double norm = 0;
        for (float x : g) {
          norm += (double) x * x;
        }
        if (!Double.isFinite(loss) || !Double.isFinite(norm) || loss > cap) {
          diverged = true;
          losses[s] = (float) cap;
          gradNorms[s] = Float.NaN;
          continue;
        }
        losses[s] = (float) loss;
        gradNorms[s] = (float) Math.sqrt(norm);
        if (rawGradients != null) {
          System.arraycopy(g, 0, rawGradients, s * g.length, g.length);
        }
        opt.step(w, g);
      }
      lastLoss = losses[steps - 1];
    }

    ObjectiveTerms terms(boolean endsTrajectory) {
      double logRatio = 0;
      double tail = 0;
      double clipped = 0;
      int tailFrom = Math.max(0, losses.length - ObjectiveTerms.FINAL_STEPS);
      for (int s = 0; s < losses.length; s++) {
        double r = ObjectiveTerms.logLossRatio(losses[s], initialLoss);
        logRatio += r;
        clipped += ObjectiveTerms.clippedLoss(losses[s]);
        if (s >= tailFrom) {
          tail += r;
        }
      }
      double finalLogRatio = endsTrajectory ? tail / (losses.length - tailFrom) : 0;
      double validation = Double.NaN;
      if (measureValidation) {
        validation = diverged ? blowUpFactor * Math.max(Math.abs(initialLoss), 1e-3)
            : task.evaluate(w, Split.VALIDATION).loss();
      }
      FlatnessTerms f = FlatnessTerms.NONE;
      if (flatness != null && !diverged) {
        // Measured at the segment's final parameters on its last minibatch; same probe seed on both sides. A
        // diverged side records NaN, which the learner's normalization turns into the cap (never a dropped segment).
        f = flatness.measure(task, w, lastBatch, trajectory * 1_000_003L + segment);
      }
      return new ObjectiveTerms(lastLoss, logRatio / losses.length, validation, f.hessianTrace(), f.topEigenvalue(),
          f.negLocalEntropyMc(), finalLogRatio, clipped / losses.length, f.negLocalEntropySgld());
    }
  }
}
