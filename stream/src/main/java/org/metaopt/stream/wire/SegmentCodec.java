package org.metaopt.stream.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.metaopt.core.flatness.FlatnessTerms;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskSpec;

/** {@link Segment} to and from its Avro record (schema {@code segment.avsc}). Stateless and thread-safe. */
final class SegmentCodec {
  private static final ObjectMapper SPEC_JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .build();

  private SegmentCodec() {}

  /**
   * Checks what the segment constructor does not: every per-step array has one value per step.
   *
   * @throws IllegalArgumentException naming the array and both lengths
   */
  static void check(Segment s) {
    int steps = s.lossesPos().length;
    if (s.gradNormPos().length != steps || s.gradNormNeg().length != steps) {
      throw new IllegalArgumentException("gradient norms hold " + s.gradNormPos().length + "/"
          + s.gradNormNeg().length + " steps (+/-); the segment has " + steps);
    }
    if (s.termsPos() == null || s.termsNeg() == null || s.estimator() == null) {
      throw new IllegalArgumentException("a segment needs its estimator and the objective terms of both sides");
    }
  }

  static GenericRecord toRecord(Segment s) {
    check(s);
    Schema schema = Schemas.current(RecordKind.SEGMENT);
    GenericData.Record r = new GenericData.Record(schema);
    r.put("particleId", s.particleId());
    r.put("trajectoryId", s.trajectoryId());
    r.put("segmentIndex", s.segmentIndex());
    r.put("endsTrajectory", s.endsTrajectory());
    r.put("baseVersion", s.baseVersion());
    r.put("estimator", s.estimator().name());
    r.put("sigma", s.sigma());
    r.put("perturbationSeeds", Arrays.stream(s.perturbationSeeds()).boxed().toList());
    r.put("task", s.task() == null ? null : SpecLoader.canonicalJson(s.task()));
    r.put("stepOffset", s.stepOffset());
    r.put("initialLoss", s.initialLoss());
    r.put("lossesPos", Floats.toBytes(s.lossesPos()));
    r.put("lossesNeg", Floats.toBytes(s.lossesNeg()));
    r.put("gradNormPos", Floats.toBytes(s.gradNormPos()));
    r.put("gradNormNeg", Floats.toBytes(s.gradNormNeg()));
    Schema terms = schema.getField("termsPos").schema();
    r.put("termsPos", terms(terms, s.termsPos()));
    r.put("termsNeg", terms(terms, s.termsNeg()));
    r.put("divergedPos", s.divergedPos());
    r.put("divergedNeg", s.divergedNeg());
    r.put("finalLogLossRatioPos", s.termsPos().finalLogLossRatio()); // 1.1
    r.put("finalLogLossRatioNeg", s.termsNeg().finalLogLossRatio());
    r.put("meanClippedLossPos", s.termsPos().meanClippedLoss()); // 1.2
    r.put("meanClippedLossNeg", s.termsNeg().meanClippedLoss());
    r.put("negLocalEntropySgldPos", s.termsPos().negLocalEntropySgld()); // 1.3
    r.put("negLocalEntropySgldNeg", s.termsNeg().negLocalEntropySgld());
    FlatnessTerms f = s.flatnessStart();
    if (f != null) {
      GenericData.Record start = new GenericData.Record(schema.getField("flatnessStart").schema().getTypes().get(1));
      start.put("hessianTrace", f.hessianTrace());
      start.put("topEigenvalue", f.topEigenvalue());
      start.put("negLocalEntropy", f.negLocalEntropyMc());
      start.put("negLocalEntropySgld", f.negLocalEntropySgld());
      r.put("flatnessStart", start);
    }
    Segment.RawGradients g = s.rawGradients();
    if (g != null) {
      GenericData.Record raw = new GenericData.Record(schema.getField("rawGradients").schema().getTypes().get(1));
      raw.put("numParams", g.numParams());
      raw.put("pos", Floats.toBytes(g.pos()));
      raw.put("neg", Floats.toBytes(g.neg()));
      r.put("rawGradients", raw);
    }
    return r;
  }

  private static GenericRecord terms(Schema schema, ObjectiveTerms t) {
    GenericData.Record r = new GenericData.Record(schema);
    r.put("finalLoss", t.finalLoss());
    r.put("meanLogLossRatio", t.meanLogLossRatio());
    r.put("validationLoss", t.validationLoss());
    r.put("hessianTrace", t.hessianTrace());
    r.put("topEigenvalue", t.topEigenvalue());
    r.put("negLocalEntropy", t.negLocalEntropy());
    return r;
  }

  /**
   * The segment a decoded record holds.
   *
   * @throws IllegalArgumentException when the content is invalid (unknown estimator, bad task JSON, arrays of
   *     mismatched lengths)
   */
  static Segment fromRecord(GenericRecord r) {
    @SuppressWarnings("unchecked")
    List<Long> seedList = (List<Long>) r.get("perturbationSeeds");
    long[] seeds = seedList.stream().mapToLong(Long::longValue).toArray();
    GenericRecord raw = (GenericRecord) r.get("rawGradients");
    Segment.RawGradients g = raw == null ? null : new Segment.RawGradients((Integer) raw.get("numParams"),
        Floats.fromBytes(raw.get("pos"), "rawGradients.pos"), Floats.fromBytes(raw.get("neg"), "rawGradients.neg"));
    Segment s = new Segment((Long) r.get("particleId"), (Long) r.get("trajectoryId"), (Integer) r.get("segmentIndex"),
        (Boolean) r.get("endsTrajectory"), (Long) r.get("baseVersion"), estimator(r.get("estimator").toString()),
        (Double) r.get("sigma"), seeds, task(r.get("task")), (Integer) r.get("stepOffset"),
        (Double) r.get("initialLoss"), Floats.fromBytes(r.get("lossesPos"), "lossesPos"),
        Floats.fromBytes(r.get("lossesNeg"), "lossesNeg"), Floats.fromBytes(r.get("gradNormPos"), "gradNormPos"),
        Floats.fromBytes(r.get("gradNormNeg"), "gradNormNeg"), terms(r, "Pos"), terms(r, "Neg"),
        (Boolean) r.get("divergedPos"), (Boolean) r.get("divergedNeg"), g, flatnessStart(r));
    check(s);
    return s;
  }

  private static EstimatorKind estimator(String name) {
    for (EstimatorKind k : EstimatorKind.values()) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown estimator '" + name + "'; this build knows "
        + Arrays.toString(EstimatorKind.values()));
  }

  private static TaskSpec task(Object json) {
    if (json == null) {
      return null;
    }
    try {
      TaskSpec spec = SPEC_JSON.readValue(json.toString(), TaskSpec.class);
      if (spec == null) {
        throw new IllegalArgumentException("task is JSON null; an absent task is the union's null branch");
      }
      return spec;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("task is not a task spec's JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** One side's terms ({@code side} "Pos" or "Neg"): the nested record plus the fields appended after 1.0. */
  private static ObjectiveTerms terms(GenericRecord r, String side) {
    GenericRecord t = (GenericRecord) r.get("terms" + side);
    return new ObjectiveTerms((Double) t.get("finalLoss"), (Double) t.get("meanLogLossRatio"),
        (Double) t.get("validationLoss"), (Double) t.get("hessianTrace"), (Double) t.get("topEigenvalue"),
        (Double) t.get("negLocalEntropy"), appended(r, "finalLogLossRatio" + side), appended(r, "meanClippedLoss" + side),
        appended(r, "negLocalEntropySgld" + side));
  }

  private static FlatnessTerms flatnessStart(GenericRecord r) {
    GenericRecord f = r.getSchema().getField("flatnessStart") != null ? (GenericRecord) r.get("flatnessStart") : null;
    return f == null ? null : new FlatnessTerms((Double) f.get("hessianTrace"), Double.NaN,
        (Double) f.get("topEigenvalue"), (Double) f.get("negLocalEntropy"), (Double) f.get("negLocalEntropySgld"));
  }

  /** A field appended in a later minor (1.1, 1.2, 1.3): NaN (not measured) when the record's schema predates it. */
  private static double appended(GenericRecord r, String field) {
    return r.getSchema().getField(field) != null ? (Double) r.get(field) : Double.NaN;
  }
}
