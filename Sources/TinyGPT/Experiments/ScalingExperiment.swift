import Foundation
import Kernels
import Synchronization

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
    /// Sizes trained at the same time (each on one kernel thread); 1 trains them one after another
    /// with the kernels' threads. The results are the same bits either way.
    public var lanes: Int

    public init(widths: [Int] = [8, 16, 24, 32, 48, 64], layers: Int = 2, headSize: Int = 8, steps: Int = 600,
                lanes: Int = kernelThreads) {
        self.widths = widths
        self.layers = layers
        self.headSize = headSize
        self.steps = steps
        self.lanes = lanes
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
    /// `progress` is called after each size with its point and the seconds it took (sizes may
    /// finish out of order when they train side by side; calls never overlap).
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
        config.snapshotSteps = nil   // the sizes keep no snapshots (and --steps may end before them)
        config.repeatFraction = nil  // the sizes learn the corpus alone: the law is about text, not copying
        try config.validate()
        let data = try Trainer.prepare(config: config, configDirectory: configDirectory)
        var shapes: [GPTConfig] = []
        for width in settings.widths {
            var shape = config.model
            shape.vocabSize = data.tokenizer.vocabSize
            shape.width = width
            shape.layers = settings.layers
            shape.heads = width / settings.headSize
            do { try shape.validate() } catch { throw UserError("scaling width \(width): \(error.message)") }
            shapes.append(shape)
        }
        // The sizes are independent runs: with `lanes` > 1 they train side by side, one kernel
        // thread each (the small sizes' products are too small to split, so one run alone would
        // leave a core idle), largest first. Every run's bits are the same either way.
        let lanes = max(1, min(settings.lanes, shapes.count))
        let sizes = shapes, cfg = config
        let order = shapes.indices.sorted { shapes[$0].width > shapes[$1].width || (shapes[$0].width == shapes[$1].width && $0 < $1) }
        let results = Mutex<[Int: Result<ScalingPoint, UserError>]>([:])
        let next = Atomic<Int>(0)
        let savedThreads = kernelThreads
        if lanes > 1 { kernelThreads = 1 }
        defer { kernelThreads = savedThreads }
        withoutActuallyEscaping(progress) { progress in
        let report = UncheckedBox(progress)
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            while true {
                let k = next.add(1, ordering: .relaxed).oldValue
                guard k < order.count else { return }
                let i = order[k], shape = sizes[i]
                let start = Date()
                let model = GPT(config: shape, seed: cfg.seed)
                let log = Trainer.optimize(model, train: data.train, validation: data.validation, config: cfg)
                let final = Trainer.finalLosses(log, evalInterval: cfg.evalInterval)
                let point = ScalingPoint(layers: shape.layers, heads: shape.heads, width: shape.width, parameters: model.layout.count,
                                         steps: cfg.steps, trainLoss: final.train, valLoss: final.validation)
                let outcome: Result<ScalingPoint, UserError> = point.trainLoss.isFinite && point.valLoss.isFinite ? .success(point)
                    : .failure(UserError("scaling width \(shape.width): training diverged (loss \(point.trainLoss), validation \(point.valLoss)); lower learning_rate in the training config"))
                let seconds = Date().timeIntervalSince(start)
                results.withLock { r in
                    r[i] = outcome
                    if case .success(let p) = outcome { report.value(p, seconds) }
                }
            }
        }
        }
        let finished = results.withLock { $0 }
        var points: [ScalingPoint] = []
        for i in shapes.indices { points.append(try finished[i]!.get()) }
        let law = PowerLaw.fit(points.map { (Double($0.parameters), Double($0.valLoss)) })
        return ScalingResult(points: points, slope: law.slope, intercept: law.intercept,
                             batchSize: config.batchSize, contextLength: config.model.contextLength,
                             learningRate: config.learningRate, seed: config.seed)
    }
}

/// Lets a non-Sendable callback be called from the lanes; the lanes call it under a lock only.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
