import Foundation

/// The model sizes of the scaling experiment and how long each trains.
///
/// Every size has `layers` blocks and heads of `headSize` dimensions (so `width / headSize`
/// heads); everything else (corpus, tokenizer, context, batch, schedule, seed) comes from the
/// training config and is the same for every size.
public struct ScalingSettings: Equatable, Sendable {
    /// Residual-stream widths C, one model each.
    public var widths: [Int]
    public var layers: Int
    public var headSize: Int
    /// Training steps per size (fewer than the shipped model's, to keep the run to minutes).
    public var steps: Int

    public init(widths: [Int] = [8, 16, 24, 32, 48, 64], layers: Int = 2, headSize: Int = 8, steps: Int = 600) {
        self.widths = widths
        self.layers = layers
        self.headSize = headSize
        self.steps = steps
    }

    /// Checks the sizes; errors are one line naming the setting and what is allowed.
    public func validate() throws(UserError) {
        func need(_ ok: Bool, _ message: String) throws(UserError) { if !ok { throw UserError(message) } }
        try need(widths.count >= 2, "the scaling experiment needs at least 2 widths to fit a power law, got \(widths.count)")
        try need(Set(widths).count == widths.count, "scaling widths \(widths) repeat a width: each size once")
        try need(headSize >= 1, "scaling head size \(headSize) is out of range: allowed ≥ 1")
        for w in widths {
            try need(w >= headSize && w % headSize == 0, "scaling width \(w) is not a multiple of the head size \(headSize)")
        }
        try need(steps >= 1 && steps <= 10_000_000, "scaling steps \(steps) is out of range: allowed 1...10000000")
    }
}

/// Chapter 10's mini scaling-law experiment: several model sizes trained on the same corpus and
/// tokenizer for the same steps, batches and seed, their final validation losses, and the power
/// law log₁₀ L = a + b · log₁₀ N fitted to them.
public enum ScalingExperiment {
    /// Trains the tokenizer once, then one model per width with `Trainer.optimize`.
    /// `progress` is called after each size with its point and the seconds it took.
    ///
    ///     let config = try TrainConfig.load(from: URL(fileURLWithPath: "lessons/train-config.json"))
    ///     let result = try ScalingExperiment.run(config: config, configDirectory: URL(fileURLWithPath: "lessons"))
    ///     result.slope   // b < 0: bigger models reach lower loss
    public static func run(config: TrainConfig, configDirectory: URL, settings: ScalingSettings = ScalingSettings(),
                           progress: (ScalingPoint, Double) -> Void = { _, _ in }) throws(UserError) -> ScalingResult {
        try settings.validate()
        var config = config
        config.steps = settings.steps
        config.warmupSteps = min(config.warmupSteps, settings.steps - 1)
        try config.validate()
        let data = try Trainer.prepare(config: config, configDirectory: configDirectory)
        var points: [ScalingPoint] = []
        for width in settings.widths {
            var shape = config.model
            shape.vocabSize = data.tokenizer.vocabSize
            shape.width = width
            shape.layers = settings.layers
            shape.heads = width / settings.headSize
            do { try shape.validate() } catch { throw UserError("scaling width \(width): \(error.message)") }
            let start = Date()
            let model = GPT(config: shape, seed: config.seed)
            let log = Trainer.optimize(model, train: data.train, validation: data.validation, config: config)
            let final = Trainer.finalLosses(log, evalInterval: config.evalInterval)
            let point = ScalingPoint(layers: shape.layers, heads: shape.heads, width: width, parameters: model.layout.count,
                                     steps: config.steps, trainLoss: final.train, valLoss: final.validation)
            guard point.trainLoss.isFinite, point.valLoss.isFinite else {
                throw UserError("scaling width \(width): training diverged (loss \(point.trainLoss), validation \(point.valLoss)); lower learning_rate in the training config")
            }
            points.append(point)
            progress(point, Date().timeIntervalSince(start))
        }
        let law = PowerLaw.fit(points.map { (Double($0.parameters), Double($0.valLoss)) })
        return ScalingResult(points: points, slope: law.slope, intercept: law.intercept,
                             batchSize: config.batchSize, contextLength: config.model.contextLength,
                             learningRate: config.learningRate, seed: config.seed)
    }
}
