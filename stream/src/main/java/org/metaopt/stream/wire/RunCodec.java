package org.metaopt.stream.wire;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link RunRecord} to and from its Avro record (schema {@code run.avsc}). Stateless and thread-safe. */
final class RunCodec {
  private RunCodec() {}

  static GenericRecord toRecord(RunRecord run) {
    GenericData.Record r = new GenericData.Record(Schemas.current(RecordKind.RUN));
    r.put("runId", run.runId());
    r.put("chunk", run.chunk());
    r.put("model", run.model());
    r.put("numParams", run.numParams());
    r.put("optimizer", run.optimizer());
    r.put("optimizerVersion", run.optimizerVersion());
    r.put("thetaSha256", run.thetaSha256());
    r.put("stepOffset", run.stepOffset());
    r.put("epoch", run.epoch());
    r.put("losses", Floats.toBytes(run.losses()));
    r.put("gradientNorms", Floats.toBytes(run.gradientNorms()));
    r.put("gradientMaxAbs", Floats.toBytes(run.gradientMaxAbs()));
    r.put("stepMillis", Floats.toBytes(run.stepMillis()));
    r.put("last", run.last());
    r.put("createdAt", run.createdAt());
    return r;
  }

  /**
   * The run chunk a decoded record holds.
   *
   * @throws IllegalArgumentException when the content is invalid (arrays of different lengths, a bad time)
   */
  static RunRecord fromRecord(GenericRecord r) {
    return new RunRecord(r.get("runId").toString(), (Integer) r.get("chunk"), r.get("model").toString(),
        (Long) r.get("numParams"), r.get("optimizer").toString(), (Long) r.get("optimizerVersion"),
        r.get("thetaSha256").toString(), (Long) r.get("stepOffset"), (Integer) r.get("epoch"),
        Floats.fromBytes(r.get("losses"), "losses"), Floats.fromBytes(r.get("gradientNorms"), "gradientNorms"),
        Floats.fromBytes(r.get("gradientMaxAbs"), "gradientMaxAbs"),
        Floats.fromBytes(r.get("stepMillis"), "stepMillis"), (Boolean) r.get("last"), r.get("createdAt").toString());
  }
}
