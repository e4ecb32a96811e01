package org.metaopt.core.task.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.task.Batch;
import org.metaopt.core.tensor.TensorSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Cross-checks the MLP's forward and backward pass against the same network written with ND4J matrix products. */
class MlpTaskNd4jTest {

  @Test
  void forwardAndBackwardAgreeWithNd4jMatrixProducts() {
    int f = 30;
    int h = 12;
    int k = 4;
    int n = 10;
    DataSplits data = SyntheticData.splits(f, k, n, 77);
    MlpTask task = new MlpTask("nd4j-check", data, new int[] {h}, Activation.TANH, n);
    float[] p = task.initialParams(5);
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    float[] grad = new float[p.length];
    double loss = task.lossAndGradient(p, new Batch(all, 0), grad);

    Dataset train = data.train();
    INDArray x = Nd4j.create(train.features(), new long[] {n, f}, 'c');
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, k);
    for (int r = 0; r < n; r++) {
      y.putScalar(r, train.labels()[r], 1f);
    }
    INDArray w0 = slice(task, p, "w0");
    INDArray b0 = slice(task, p, "b0");
    INDArray w1 = slice(task, p, "w1");
    INDArray b1 = slice(task, p, "b1");
    INDArray a1 = Transforms.tanh(x.mmul(w0).addiRowVector(b0), true);
    INDArray z2 = a1.mmul(w1).addiRowVector(b1);
    INDArray probs = Transforms.softmax(z2, true);
    double refLoss = -Transforms.log(probs, true).mul(y).sumNumber().doubleValue() / n;
    assertEquals(refLoss, loss, 1e-5 * refLoss);

    INDArray dz2 = probs.sub(y).divi(n);
    INDArray gw1 = a1.transpose().mmul(dz2);
    INDArray gb1 = dz2.sum(0);
    INDArray da1 = dz2.mmul(w1.transpose());
    INDArray dz1 = da1.mul(a1.mul(a1).rsubi(1.0));
    INDArray gw0 = x.transpose().mmul(dz1);
    INDArray gb0 = dz1.sum(0);
    float[] ref = new float[p.length];
    put(task, ref, "w0", gw0);
    put(task, ref, "b0", gb0);
    put(task, ref, "w1", gw1);
    put(task, ref, "b1", gb1);
    // Float sums in different orders: agreement to 1e-5 of the gradient norm.
    double err = SyntheticData.relativeError(grad, ref, 1e-6);
    assertTrue(err < 1e-5, "relative error vs ND4J " + err);
  }

  private static INDArray slice(MlpTask task, float[] p, String name) {
    TensorSpec t = task.layout().tensor(name);
    float[] v = Arrays.copyOfRange(p, t.offset(), t.end());
    int[] s = t.shape();
    return s.length == 2 ? Nd4j.create(v, new long[] {s[0], s[1]}, 'c') : Nd4j.create(v, new long[] {1, s[0]}, 'c');
  }

  private static void put(MlpTask task, float[] dst, String name, INDArray a) {
    TensorSpec t = task.layout().tensor(name);
    float[] v = Nd4j.toFlattened('c', a).toFloatVector();
    System.arraycopy(v, 0, dst, t.offset(), t.size());
  }

}
