package io.tl4j.core;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.demo.SyntheticWorld;
import io.tl4j.core.train.OptimizerSpec;

public class Probe {
    public static void main(String[] args) {
        float freq = Float.parseFloat(args[0]); float noise = Float.parseFloat(args[1]); double spread = Double.parseDouble(args[2]);
        SyntheticWorld world = SyntheticWorld.create(7, Integer.parseInt(args[3]), 64, freq, noise);
        SyntheticWorld.Task source = world.task("s", Integer.parseInt(args[5]), spread, 1);
        SyntheticWorld.Task target = world.task("t", 5, spread, 2);
        LabeledData<float[]> src = source.sample(Integer.parseInt(args[4]), 11);
        LabeledData<float[]> tr = target.sample(20, 12);
        LabeledData<float[]> te = target.sample(200, 13);
        long t0 = System.nanoTime();
        Backbone<float[]> init = Backbone.<float[]>builder().setArchitecture(Architectures.mlp(128, 64)).setPipeline(TensorPipeline.of(new Shape(64))).build();
        try (TransferModel<float[]> pre = TransferLearner.from(init).unfreezeAll().backboneLearningRate(1f).epochs(20).progressBar(false).fit(src);
             Backbone<float[]> bb = pre.backbone()) {
            System.out.println(pre.history().last());
            System.out.println("pre acc on source test " + pre.evaluate(source.sample(50, 99)).accuracy() + " t=" + (System.nanoTime()-t0)/1e9);
            for (long seed = 1; seed <= 3; seed++) {
                try (TransferModel<float[]> feat = TransferLearner.from(bb).epochs(30).seed(seed).learningRate(3e-3f).progressBar(false).fit(tr);
                     TransferModel<float[]> ft = TransferLearner.from(bb).unfreezeAll().epochs(30).seed(seed).learningRate(3e-3f).progressBar(false).fit(tr);
                     TransferModel<float[]> scratch = TransferLearner.from(init).unfreezeAll().backboneLearningRate(1f).epochs(60).seed(seed).learningRate(3e-3f).progressBar(false).fit(tr)) {
                    System.out.printf("seed %d feat %.3f ft %.3f scratch %.3f%n", seed, feat.evaluate(te).accuracy(), ft.evaluate(te).accuracy(), scratch.evaluate(te).accuracy());
                }
            }
        }
        System.out.println("t=" + (System.nanoTime()-t0)/1e9);
    }
}
