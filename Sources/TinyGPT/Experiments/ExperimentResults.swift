import Foundation

/// One model size of the scaling experiment (chapter 10): trained on the same corpus, steps and
/// seed as every other size, so only the parameter count differs.
public struct ScalingPoint: Codable, Equatable, Sendable {
    public var layers: Int
    public var heads: Int
    public var width: Int
    /// Trainable parameters (N).
    public var parameters: Int
    public var steps: Int
    /// Mean training loss over the last evaluation interval.
    public var trainLoss: Float
    /// Final validation loss (L).
    public var valLoss: Float

    public init(layers: Int, heads: Int, width: Int, parameters: Int, steps: Int, trainLoss: Float, valLoss: Float) {
        self.layers = layers; self.heads = heads; self.width = width; self.parameters = parameters
        self.steps = steps; self.trainLoss = trainLoss; self.valLoss = valLoss
    }
}

/// `lessons/model/experiments/scaling.json`: loss against model size, with the least-squares
/// power law log₁₀ L = intercept + slope · log₁₀ N fitted to the points.
public struct ScalingResult: Codable, Equatable, Sendable {
    public var points: [ScalingPoint]
    public var slope: Double
    public var intercept: Double
    /// Windows per step, the same for every size.
    public var batchSize: Int
    /// Tokens per window (T), the same for every size.
    public var contextLength: Int
    /// Peak learning rate of the shared warm-up + cosine schedule.
    public var learningRate: Float
    /// Seed of every size's initialisation and batches.
    public var seed: UInt64

    public init(points: [ScalingPoint], slope: Double, intercept: Double, batchSize: Int,
                contextLength: Int, learningRate: Float, seed: UInt64) {
        self.points = points; self.slope = slope; self.intercept = intercept
        self.batchSize = batchSize; self.contextLength = contextLength; self.learningRate = learningRate; self.seed = seed
    }
}

/// `lessons/model/experiments/finetune.json`: the shipped model fine-tuned on a small set of
/// documents (chapters 2 and 10), and how the next-token distribution after `prompt` moved.
public struct FineTuneResult: Codable, Equatable, Sendable {
    /// The prompt whose next-token distribution is compared.
    public var prompt: String
    public var promptIDs: [Int]
    /// The fine-tuning documents, verbatim.
    public var documents: [String]
    public var steps: Int
    public var learningRate: Float
    /// Training loss at every fine-tuning step.
    public var losses: [Float]
    /// Next-token probabilities after `prompt` (V floats) before and after fine-tuning.
    public var before: [Float]
    public var after: [Float]
    /// Greedy continuations of `prompt` before and after.
    public var beforeText: String
    public var afterText: String
    /// Windows of the model's context per fine-tuning step.
    public var batchSize: Int

    public init(prompt: String, promptIDs: [Int], documents: [String], steps: Int, learningRate: Float,
                losses: [Float], before: [Float], after: [Float], beforeText: String, afterText: String,
                batchSize: Int) {
        self.prompt = prompt; self.promptIDs = promptIDs; self.documents = documents; self.steps = steps
        self.learningRate = learningRate; self.losses = losses; self.before = before; self.after = after
        self.beforeText = beforeText; self.afterText = afterText; self.batchSize = batchSize
    }

    // "promptIds", so the snake_case file key is `prompt_ids` (the default would give `prompt_i_ds`).
    enum CodingKeys: String, CodingKey {
        case prompt, promptIDs = "promptIds", documents, steps, learningRate, losses, before, after
        case beforeText, afterText, batchSize
    }
}

/// The experiment results shipped beside the model, in `<model>/experiments/`.
public struct ExperimentResults: Equatable, Sendable {
    public var scaling: ScalingResult?
    public var fineTune: FineTuneResult?

    public init(scaling: ScalingResult? = nil, fineTune: FineTuneResult? = nil) {
        self.scaling = scaling
        self.fineTune = fineTune
    }

    public static func directory(model: URL) -> URL { model.appendingPathComponent("experiments") }

    /// Reads whatever results exist; a file that exists but does not parse is an error naming it.
    public static func load(model: URL) throws(UserError) -> ExperimentResults {
        let dir = directory(model: model)
        func read<T: Decodable>(_ name: String, _ type: T.Type) throws(UserError) -> T? {
            let url = dir.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
            do {
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                return try decoder.decode(T.self, from: data)
            } catch {
                throw UserError("\(url.path): experiment result is not valid: \(describe(error))")
            }
        }
        return ExperimentResults(scaling: try read("scaling.json", ScalingResult.self),
                                 fineTune: try read("finetune.json", FineTuneResult.self))
    }

    /// Deterministic JSON (sorted keys, snake_case) for a result file.
    public static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Plain numbers, strings and arrays always encode.
        return try! encoder.encode(value)
    }
}
