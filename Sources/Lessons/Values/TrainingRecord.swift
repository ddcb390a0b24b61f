import Foundation
import TinyGPT

/// How the shipped model was trained, as far as the lessons need it: the training config
/// (clip threshold, warm-up) and the held-out validation text, split exactly as `gptx train` did.
///
///     let record = try TrainingRecord.load(configFile: URL(fileURLWithPath: "lessons/train-config.json"),
///                                          bundle: bundle)
///     record.validation.count   // tokens of held-out text, `<|endoftext|>`-separated
public struct TrainingRecord: Sendable {
    /// The training config the model was trained with.
    public var config: TrainConfig
    /// The validation token stream (documents the model never trained on).
    public var validation: [Int]
    /// Every document of the corpus as text (training and validation alike), for counting.
    public var documents: [String]

    /// A record from parts (tests).
    public init(config: TrainConfig, validation: [Int], documents: [String] = []) {
        self.config = config
        self.validation = validation
        self.documents = documents
    }

    /// Reads the config and its corpus, re-creates the train/validation split, and checks the
    /// config against the model and its training log (a mismatch is an error naming the file).
    public static func load(configFile: URL, bundle: ModelBundle) throws(UserError) -> TrainingRecord {
        let config = try TrainConfig.load(from: configFile)
        let name = configFile.path
        let m = bundle.model.config
        guard config.model.layers == m.layers, config.model.heads == m.heads, config.model.width == m.width,
              config.model.contextLength == m.contextLength else {
            throw UserError("\(name): describes a \(config.model.layers)-layer, \(config.model.heads)-head, width-\(config.model.width) model, but the model folder holds \(m.layers) layers, \(m.heads) heads, width \(m.width): pass the config it was trained with")
        }
        if !bundle.trainLog.isEmpty && bundle.trainLog.count != config.steps {
            throw UserError("\(name): says \(config.steps) steps, but the training log has \(bundle.trainLog.count)")
        }
        let corpus = URL(fileURLWithPath: config.corpus, relativeTo: configFile.deletingLastPathComponent()).standardizedFileURL
        let documents = try Corpus.load(directory: corpus)
        let split = Trainer.split(documents: documents, tokenizer: bundle.tokenizer, valFraction: config.valFraction, seed: config.seed)
        return TrainingRecord(config: config, validation: split.val, documents: documents)
    }

    /// `count` windows of `length` tokens from the validation stream, at evenly spaced offsets
    /// (deterministic, no randomness).
    public func validationWindows(count: Int, length: Int) -> [[Int]] {
        let room = validation.count - length
        guard room > 0, count > 0 else { return [] }
        return (0..<count).map { i in
            let start = room * i / max(1, count)
            return Array(validation[start..<(start + length)])
        }
    }
}
