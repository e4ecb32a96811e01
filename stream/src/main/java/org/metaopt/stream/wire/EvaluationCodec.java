package org.metaopt.stream.wire;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link EvaluationRecord} to and from its Avro record (schema {@code evaluation.avsc}). Stateless and thread-safe. */
final class EvaluationCodec {
  private EvaluationCodec() {}

  static GenericRecord toRecord(EvaluationRecord e) {
    Schema schema = Schemas.current(RecordKind.EVALUATION);
    Schema rowSchema = schema.getField("rows").schema().getElementType();
    List<GenericRecord> rows = new ArrayList<>(e.rows().size());
    for (EvaluationRecord.Row row : e.rows()) {
      GenericData.Record r = new GenericData.Record(rowSchema);
      r.put("task", row.task());
      r.put("optimizer", row.optimizer());
      r.put("learningRate", row.learningRate());
      r.put("trainLoss", row.trainLoss());
      r.put("testLoss", row.testLoss());
      r.put("testAccuracy", row.testAccuracy());
      r.put("generalizationGap", row.generalizationGap());
      r.put("hessianTrace", row.hessianTrace());
      r.put("diverged", row.diverged());
      r.put("seeds", row.seeds());
      rows.add(r);
    }
    GenericData.Record r = new GenericData.Record(schema);
    r.put("version", e.version());
    r.put("thetaSha256", e.thetaSha256());
    r.put("architecture", e.architecture());
    r.put("suite", e.suite());
    r.put("seeds", e.seeds());
    r.put("rows", rows);
    r.put("tasks", e.tasks());
    r.put("winRateTrainLoss", e.winRateTrainLoss());
    r.put("classifierTasks", e.classifierTasks());
    r.put("winRateTestAccuracy", e.winRateTestAccuracy());
    r.put("geometricMeanLossRatio", e.geometricMeanLossRatio());
    r.put("seconds", e.seconds());
    r.put("createdAt", e.createdAt());
    r.put("winRateVsAdamCosine", e.winRateVsAdamCosine());
    r.put("winRateVsBest", e.winRateVsBest());
    r.put("medianSpeedupVsAdam", e.medianSpeedupVsAdam());
    EvaluationRecord.Paired p = e.vsFirst();
    r.put("vsFirstVersion", p == null ? -1L : p.referenceVersion());
    r.put("vsFirstMeanLogRatio", p == null ? Double.NaN : p.meanLogRatio());
    r.put("vsFirstLow", p == null ? Double.NaN : p.low());
    r.put("vsFirstHigh", p == null ? Double.NaN : p.high());
    r.put("vsFirstPairs", p == null ? 0 : p.pairs());
    return r;
  }

  /**
   * The evaluation a decoded record holds.
   *
   * @throws IllegalArgumentException when the content is invalid (negative counts, more diverged seeds than seeds)
   */
  static EvaluationRecord fromRecord(GenericRecord r) {
    List<EvaluationRecord.Row> rows = new ArrayList<>();
    for (Object o : (List<?>) r.get("rows")) {
      GenericRecord x = (GenericRecord) o;
      rows.add(new EvaluationRecord.Row(x.get("task").toString(), x.get("optimizer").toString(),
          (Double) x.get("learningRate"), (Double) x.get("trainLoss"), (Double) x.get("testLoss"),
          (Double) x.get("testAccuracy"), (Double) x.get("generalizationGap"), (Double) x.get("hessianTrace"),
          (Integer) x.get("diverged"), (Integer) x.get("seeds")));
    }
    return new EvaluationRecord((Long) r.get("version"), r.get("thetaSha256").toString(),
        r.get("architecture").toString(), r.get("suite").toString(), (Integer) r.get("seeds"), rows,
        (Integer) r.get("tasks"), (Double) r.get("winRateTrainLoss"), (Integer) r.get("classifierTasks"),
        (Double) r.get("winRateTestAccuracy"), (Double) r.get("geometricMeanLossRatio"), (Double) r.get("seconds"),
        r.get("createdAt").toString(), doubleOrNaN(r, "winRateVsAdamCosine"), doubleOrNaN(r, "winRateVsBest"),
        doubleOrNaN(r, "medianSpeedupVsAdam"), paired(r));
  }

  /** The paired comparison of a 1.2 record (null before 1.2, or when the writer had none). */
  private static EvaluationRecord.Paired paired(GenericRecord r) {
    if (r.getSchema().getField("vsFirstVersion") == null || (Long) r.get("vsFirstVersion") < 0) {
      return null;
    }
    return new EvaluationRecord.Paired((Long) r.get("vsFirstVersion"), (Double) r.get("vsFirstMeanLogRatio"),
        (Double) r.get("vsFirstLow"), (Double) r.get("vsFirstHigh"), (Integer) r.get("vsFirstPairs"));
  }

  /** A field appended in a later minor version: NaN when the record's schema does not have it. */
  private static double doubleOrNaN(GenericRecord r, String field) {
    return r.getSchema().getField(field) == null ? Double.NaN : (Double) r.get(field);
  }
}
