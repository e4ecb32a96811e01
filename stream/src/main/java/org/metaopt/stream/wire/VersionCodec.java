package org.metaopt.stream.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.metaopt.core.version.OptimizerVersion;

/**
 * {@link OptimizerVersion} to and from its Avro record (schema {@code optimizer-version.avsc}). Hyperparameters travel
 * as canonical JSON (sorted keys), so they decode to the same Java types a version file gives. Stateless and
 * thread-safe.
 */
final class VersionCodec {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private VersionCodec() {}

  /** Canonical JSON of a hyperparameter map: sorted keys, no whitespace. */
  static String hyperparametersJson(Map<String, Object> hyper) {
    try {
      return JSON.writeValueAsString(hyper);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("hyperparameters cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static void check(OptimizerVersion.MetaState ms) {
    if (ms != null && (ms.m() == null || ms.v() == null || ms.m().length != ms.v().length)) {
      throw new IllegalArgumentException("meta-optimizer moments m and v must have equal lengths, got "
          + (ms.m() == null ? "null" : ms.m().length) + " and " + (ms.v() == null ? "null" : ms.v().length));
    }
  }

  static GenericRecord toRecord(OptimizerVersion v) {
    check(v.metaState());
    Schema schema = Schemas.current(RecordKind.VERSION);
    GenericData.Record r = new GenericData.Record(schema);
    r.put("version", v.version());
    r.put("parent", v.parent());
    r.put("architecture", v.architecture());
    r.put("hyperparameters", hyperparametersJson(v.hyperparameters()));
    r.put("theta", Floats.toBytes(v.theta()));
    r.put("thetaSha256", v.thetaSha256());
    OptimizerVersion.MetaState ms = v.metaState();
    if (ms != null) {
      GenericData.Record m = new GenericData.Record(schema.getField("metaState").schema().getTypes().get(1));
      m.put("step", ms.step());
      m.put("m", Floats.toBytes(ms.m()));
      m.put("v", Floats.toBytes(ms.v()));
      m.put("droppedEstimates", ms.droppedEstimates());
      r.put("metaState", m);
    }
    OptimizerVersion.Provenance p = v.provenance();
    if (p != null) {
      GenericData.Record q = new GenericData.Record(schema.getField("provenance").schema().getTypes().get(1));
      q.put("configHash", p.configHash());
      q.put("estimator", p.estimator());
      q.put("objectiveWeights", p.objectiveWeights());
      q.put("trainingTasks", p.trainingTasks());
      q.put("seed", p.seed());
      q.put("codeVersion", p.codeVersion());
      q.put("createdAt", p.createdAt());
      q.put("segments", p.segments());
      q.put("window", p.window());
      r.put("provenance", q);
    }
    return r;
  }

  /**
   * The version a decoded record holds.
   *
   * @throws IllegalArgumentException when the content is invalid (θ not matching its hash, bad hyperparameter JSON)
   */
  static OptimizerVersion fromRecord(GenericRecord r) {
    Map<String, Object> hyper;
    try {
      hyper = JSON.readValue(r.get("hyperparameters").toString(), MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("hyperparameters are not a JSON object: "
          + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
    if (hyper == null) {
      throw new IllegalArgumentException("hyperparameters are JSON null; expected an object");
    }
    GenericRecord m = (GenericRecord) r.get("metaState");
    OptimizerVersion.MetaState ms = m == null ? null : new OptimizerVersion.MetaState((Long) m.get("step"),
        Floats.fromBytes(m.get("m"), "metaState.m"), Floats.fromBytes(m.get("v"), "metaState.v"),
        (Long) m.get("droppedEstimates"));
    check(ms);
    GenericRecord q = (GenericRecord) r.get("provenance");
    OptimizerVersion.Provenance p = q == null ? null : new OptimizerVersion.Provenance(text(q.get("configHash")),
        text(q.get("estimator")), weights(q.get("objectiveWeights")), texts(q.get("trainingTasks")),
        (Long) q.get("seed"), text(q.get("codeVersion")), text(q.get("createdAt")), (Integer) q.get("segments"),
        text(q.get("window")));
    return new OptimizerVersion((Long) r.get("version"), (Long) r.get("parent"), r.get("architecture").toString(),
        hyper, Floats.fromBytes(r.get("theta"), "theta"), r.get("thetaSha256").toString(), ms, p);
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }

  private static Map<String, Double> weights(Object o) {
    if (o == null) {
      return null;
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
      out.put(e.getKey().toString(), (Double) e.getValue());
    }
    return out;
  }

  private static List<String> texts(Object o) {
    if (o == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object s : (List<?>) o) {
      out.add(s.toString());
    }
    return out;
  }
}
