import Foundation

/// Everything `gptx train` needs, read from a JSON file (the committed default is
/// `lessons/train-config.json`). Paths are relative to the file's folder.
///
///     {"model": {"vocab_size": 1024, "n_positions": 64, "n_embd": 96, "n_layer": 4, "n_head": 4,
///                "positional": "learned"},
///      "corpus": "corpus", "steps": 2000, "batch_size": 16, "learning_rate": 0.003, …}
public struct TrainConfig: Codable, Equatable, Sendable {
    public var model: GPTConfig
    /// Folder of `*.txt` documents.
    public var corpus: String
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    public var minLearningRate: Float
    public var warmupSteps: Int
    public var weightDecay: Float
    public var beta1: Float
    public var beta2: Float
    /// Global gradient norm above which gradients are scaled down to it.
    public var gradClip: Float
    public var seed: UInt64
    /// Share of documents held out for the validation loss.
    public var valFraction: Double
    /// Steps between validation measurements (and at the last step).
    public var evalInterval: Int
    public var evalBatches: Int
    /// Steps after which a copy of the weights is kept in `snapshots/` beside the model (0: the
    /// initialisation), so the lessons can show the model while it learns. Absent: none.
    public var snapshotSteps: [Int]?
    /// Share of each batch's rows (rounded) that are not corpus text but a fresh random sequence
    /// repeated: `<|endoftext|>`, then n distinct random tokens, then the same n again and again to
    /// the window's end (n drawn per row). Nothing in such a row is predictable except by copying
    /// from earlier in the row, which is what makes induction heads form in a small model. Absent: 0.
    public var repeatFraction: Double?

    enum CodingKeys: String, CodingKey {
        case model, corpus, steps, seed
        case batchSize = "batch_size", learningRate = "learning_rate", minLearningRate = "min_learning_rate"
        case warmupSteps = "warmup_steps", weightDecay = "weight_decay", beta1, beta2
        case gradClip = "grad_clip", valFraction = "val_fraction", evalInterval = "eval_interval"
        case evalBatches = "eval_batches", snapshotSteps = "snapshot_steps", repeatFraction = "repeat_fraction"
    }

    /// Reads and validates a config file; errors name the file and the key.
    public static func load(from url: URL) throws(UserError) -> TrainConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw UserError("\(url.path): cannot read the training config (missing or unreadable)")
        }
        let config: TrainConfig
        do { config = try JSONDecoder().decode(TrainConfig.self, from: data) } catch {
            throw UserError("\(url.path): training config is not valid: \(describe(error))")
        }
        do { try config.validate() } catch { throw UserError("\(url.path): \(error.message)") }
        return config
    }

    public func validate() throws(UserError) {
        try model.validate()
        func need(_ ok: Bool, _ message: String) throws(UserError) { if !ok { throw UserError(message) } }
        try need(steps >= 1 && steps <= 10_000_000, "steps \(steps) is out of range: allowed 1...10000000")
        try need(batchSize >= 1 && batchSize <= 4096, "batch_size \(batchSize) is out of range: allowed 1...4096")
        try need(learningRate > 0 && learningRate < 1, "learning_rate \(learningRate) is out of range: allowed 0 < lr < 1")
        try need(minLearningRate >= 0 && minLearningRate <= learningRate, "min_learning_rate \(minLearningRate) is out of range: allowed 0...learning_rate")
        try need(warmupSteps >= 0 && warmupSteps < steps, "warmup_steps \(warmupSteps) is out of range: allowed 0..<steps")
        try need(weightDecay >= 0 && weightDecay < 1, "weight_decay \(weightDecay) is out of range: allowed 0 ≤ wd < 1")
        try need(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "beta1/beta2 out of range: allowed 0 ≤ β < 1")
        try need(gradClip >= 0, "grad_clip \(gradClip) is out of range: allowed ≥ 0 (0 turns clipping off)")
        try need(valFraction > 0 && valFraction < 0.5, "val_fraction \(valFraction) is out of range: allowed 0 < f < 0.5")
        try need(evalInterval >= 1, "eval_interval \(evalInterval) is out of range: allowed ≥ 1")
        try need(evalBatches >= 1 && evalBatches <= 1000, "eval_batches \(evalBatches) is out of range: allowed 1...1000")
        if let r = repeatFraction {
            try need(r >= 0 && r < 1, "repeat_fraction \(r) is out of range: allowed 0 ≤ f < 1")
        }
        if let snaps = snapshotSteps {
            try need(snaps.count <= 32 && zip(snaps, snaps.dropFirst()).allSatisfy { $0 < $1 } && snaps.allSatisfy { $0 >= 0 && $0 < steps },
                     "snapshot_steps \(snaps) is not valid: allowed at most 32 increasing steps in 0..<steps (\(steps)); the last step is the model itself")
        }
    }
}

extension TrainConfig {
    /// The file a trained model keeps its effective training config in (`MODEL/train-config.json`),
    /// so the lessons read the corpus and split the model was really trained on.
    public static let modelFileName = "train-config.json"

    /// The training config that describes the model in `model`: the `train-config.json` that
    /// `gptx train` wrote into it, else `fallback` (a model folder from before that file existed).
    public static func file(forModel model: URL, fallback: URL) -> URL {
        let own = model.appendingPathComponent(modelFileName)
        return FileManager.default.fileExists(atPath: own.path) ? own : fallback
    }

    /// The corpus folder, resolved against the folder the config's paths are relative to.
    /// (`configDirectory` is a folder, with or without a trailing slash.)
    public func corpusURL(configDirectory: URL) -> URL {
        URL(fileURLWithPath: corpus, relativeTo: URL(fileURLWithPath: configDirectory.path, isDirectory: true)).standardizedFileURL
    }

    /// This config as written beside a trained model: the corpus path rewritten so it resolves
    /// from `model` (relative to it when the two share a folder below `/`, absolute otherwise);
    /// sorted keys, so the same run gives the same bytes.
    public func modelFolderCopy(configDirectory: URL, model: URL) -> Data {
        var copy = self
        copy.corpus = Self.path(of: corpusURL(configDirectory: configDirectory), from: model.standardizedFileURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Numbers, strings and arrays of numbers always encode.
        return try! encoder.encode(copy) + Data("\n".utf8)
    }

    /// `target` as a path relative to the folder `base` (both absolute), or absolute when they
    /// share nothing but `/`.
    static func path(of target: URL, from base: URL) -> String {
        let t = target.pathComponents.filter { $0 != "/" }, b = base.pathComponents.filter { $0 != "/" }
        let common = zip(t, b).prefix { $0 == $1 }.count
        guard common > 0 else { return target.path }
        let up = Array(repeating: "..", count: b.count - common)
        let rest = up + t.dropFirst(common)
        return rest.isEmpty ? "." : rest.joined(separator: "/")
    }
}
