package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * The convolutional feature extractor ({@code feature_extractor.conv_layers.N}), the first stage.
 *
 * <p>Input: {@code (batch, samples)} waveforms, all samples real; or {@code (batch, 2, samples)}
 * whose row 0 is the waveform and row 1 is 1 for real samples and 0 for padding at the end. As in
 * Hugging Face and torchaudio, padding does not change the convolutions; it only fixes how many
 * output frames are real: {@code floor((length - kernel) / stride) + 1} per layer. Output: packed
 * frames (see {@link Frames}) {@code (batch, frames, conv_dim[-1] + 1)}.
 */
final class FeatureExtractor extends TorchModule {

    private final Wav2Vec2Config config;
    private final IndexedBlocks<ConvLayer> convLayers;

    FeatureExtractor(Wav2Vec2Config config) {
        this.config = config;
        this.convLayers = addChildBlock("conv_layers", new IndexedBlocks<>());
        int[] dims = config.convDim();
        int[] kernels = config.convKernel();
        int[] strides = config.convStride();
        int in = 1;
        for (int i = 0; i < dims.length; i++) {
            boolean normalized = config.featExtractNorm() == Wav2Vec2Config.FeatureNorm.LAYER || i == 0;
            convLayers.add(new ConvLayer(
                    in,
                    dims[i],
                    kernels[i],
                    strides[i],
                    config.convBias(),
                    config.featExtractNorm(),
                    normalized,
                    config.layerNormEps()));
            in = dims[i];
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = Frames.single(inputs, "feature_extractor");
        NDArray waveform;
        NDArray sampleLengths;
        if (input.getShape().dimension() == 2) {
            waveform = input;
            sampleLengths = null;
        } else if (input.getShape().dimension() == 3 && input.getShape().get(1) == 2) {
            waveform = input.get(":, 0, :");
            sampleLengths = input.get(":, 1, :").sum(new int[] {1});
        } else {
            throw new IllegalArgumentException(
                    "feature_extractor takes (batch, samples) or (batch, 2, samples)," + " got " + input.getShape());
        }
        if (waveform.getShape().get(1) < config.receptiveField()) {
            throw new IllegalArgumentException("feature_extractor needs at least " + config.receptiveField()
                    + " samples for one frame, got " + waveform.getShape().get(1));
        }
        NDArray x = waveform.expandDims(1);
        for (ConvLayer layer : convLayers.blocks()) {
            x = layer.apply(ps, x);
        }
        long frames = x.getShape().get(2);
        long batch = x.getShape().get(0);
        NDArray mask;
        if (sampleLengths == null) {
            mask = x.getManager().ones(new Shape(batch, frames), x.getDataType());
        } else {
            NDArray lengths = sampleLengths;
            int[] kernels = config.convKernel();
            int[] strides = config.convStride();
            for (int i = 0; i < kernels.length; i++) {
                lengths = lengths.sub(kernels[i]).div(strides[i]).floor().add(1).maximum(0);
            }
            NDArray positions =
                    x.getManager().arange(0f, frames, 1f, DataType.FLOAT32).expandDims(0);
            mask = positions
                    .lt(lengths.toType(DataType.FLOAT32, false).expandDims(1))
                    .toType(x.getDataType(), false);
        }
        return new NDList(Frames.pack(x.swapAxes(1, 2), mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        long samples = s.get(s.dimension() - 1);
        return new Shape[] {new Shape(s.get(0), config.frames(samples), config.extractorChannels() + 1)};
    }
}
