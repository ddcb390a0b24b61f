/// `gptx bench train`: one full training step (forward, backward, AdamW) on random tokens.
public struct TrainBenchResult: Sendable {
    public var config: GPTConfig
    public var batchSize: Int
    public var msPerStep: Double      // median
    public var tokensPerSecond: Double
    public var samples: [Double]      // seconds per step
}

public enum TrainBench {
    /// The reference config: 4 layers, 4 heads, width 64, context 64, vocab 256, batch 16.
    public static let referenceConfig = GPTConfig(vocabSize: 256, contextLength: 64, layers: 4, heads: 4, width: 64)
    public static let referenceBatch = 16
    /// The larger config, where matrix products dominate: 6 layers, 6 heads, width 192,
    /// context 128, vocab 1024, batch 8.
    public static let largeConfig = GPTConfig(vocabSize: 1024, contextLength: 128, layers: 6, heads: 6, width: 192)
    public static let largeBatch = 8

    /// Floating-point operations of one training step (forward + backward; an FMA counts 2):
    /// 6 per weight per token for every matrix product (X·W forward, dY·Wᵀ and Xᵀ·dY backward),
    /// and for attention 4·C per (query, key ≤ query) pair forward (QKᵀ and ·V), twice that backward.
    /// LayerNorm, GELU, softmax and AdamW are left out (linear in the sizes, a few % here).
    public static func flops(config: GPTConfig, batchSize: Int) -> Double {
        let C = Double(config.width), T = Double(config.contextLength), B = Double(batchSize)
        let matrices = 12 * C * C * Double(config.layers) + Double(config.vocabSize) * C
        let pairs = T * (T + 1) / 2
        return 6 * B * T * matrices + 12 * C * B * pairs * Double(config.layers)
    }

    public static func run(config: GPTConfig = referenceConfig, batchSize: Int = referenceBatch, warmup: Int = 3, steps: Int = 20, seed: UInt64 = 1) -> TrainBenchResult {
        let model = GPT(config: config, seed: seed)
        let T = config.contextLength
        let ws = TrainingWorkspace(model: model, batchSize: batchSize, sequenceLength: T)
        var rng = SplitMix64(seed: seed)
        let ids = (0..<(batchSize * T)).map { _ in rng.nextInt(below: config.vocabSize) }
        let next = (0..<(batchSize * T)).map { _ in rng.nextInt(below: config.vocabSize) }
        ws.load(inputs: ids, targets: next)
        let opt = AdamW(layout: model.layout)
        let samples = Stopwatch.samples(warmup: warmup, runs: steps) {
            model.forward(ws)
            model.backward(ws)
            opt.update(model, ws, lr: 1e-3, clip: 1)
        }
        let median = Stopwatch.median(samples)
        return TrainBenchResult(config: config, batchSize: batchSize, msPerStep: median * 1000,
                                tokensPerSecond: Double(batchSize * T) / median, samples: samples)
    }
}
