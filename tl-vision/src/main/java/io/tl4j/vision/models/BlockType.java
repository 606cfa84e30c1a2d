package io.tl4j.vision.models;

/** The residual block of a {@link ResNet}: torchvision's {@code BasicBlock} or {@code Bottleneck}. */
public enum BlockType {
    /** Two 3x3 convolutions; output channels equal the stage width (ResNet-18, -34). */
    BASIC(1),
    /** 1x1, 3x3, 1x1 convolutions; output channels are four times the stage width (ResNet-50 and up). */
    BOTTLENECK(4);

    private final int expansion;

    BlockType(int expansion) {
        this.expansion = expansion;
    }

    /** Returns how many times the stage width the block outputs. */
    public int expansion() {
        return expansion;
    }
}
