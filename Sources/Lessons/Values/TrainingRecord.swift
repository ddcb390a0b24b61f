import Foundation
import TinyGPT

/// How the shipped model was trained, as far as the lessons need it: the training config
/// (clip threshold, warm-up), the training text and the held-out validation text, split exactly as `gptx train` did.
///
///     let record = try TrainingRecord.load(configFile: URL(fileURLWithPath: "lessons/train-config.json"),
///                                          bundle: bundle)
///     record.validation.count   // tokens of held-out text, `<|endoftext|>`-separated
public struct TrainingRecord: Sendable {
    /// The training config the model was trained with.
    public var config: TrainConfig
    /// The validation token stream (documents the model never trained on).
    public var validation: [Int]
    /// The training token stream (what the model trained on; the MLP neurons are looked up in it).
    public var train: [Int]
    /// The corpus's documents (what the corpus writes after a prompt is counted in them).
    public var documents: [String]

    /// A record from parts (tests).
    public init(config: TrainConfig, validation: [Int], train: [Int] = [], documents: [String] = []) {
        self.config = config
        self.validation = validation
        self.train = train
        self.documents = documents
    }

    /// The corpus as the figures read it.
    public func text(tokenizer: Tokenizer) -> TrainingData {
        TrainingData(documents: documents, tokenizer: tokenizer, train: train, validation: validation)
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
        let corpus = config.corpusURL(configDirectory: configFile.deletingLastPathComponent())
        let documents = try Corpus.load(directory: corpus)
        let text = TrainingData(documents: documents, tokenizer: bundle.tokenizer, config: config)
        return TrainingRecord(config: config, validation: text.validation, train: text.train, documents: documents)
    }

    /// `count` windows of `length` tokens from the validation stream, at evenly spaced offsets
    /// (deterministic, no randomness).
    public func validationWindows(count: Int, length: Int) -> [[Int]] {
        HeadStatistics.evenlySpacedWindows(validation, count: count, length: length)
    }
}
