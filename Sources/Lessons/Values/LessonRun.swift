import TinyGPT

/// The model's shape and size, bound in every lesson as `model.*`.
public struct ModelFacts: Sendable {
    /// L
    public var layers: Int
    /// NH
    public var heads: Int
    /// C
    public var width: Int
    /// HS = C / NH
    public var headSize: Int
    /// 4C
    public var mlpWidth: Int
    /// T
    public var contextLength: Int
    /// V
    public var vocabSize: Int
    /// Trainable parameters, formatted (`1,234,567`).
    public var parameters: String
    /// `learned`, `sinusoidal` or `rope`.
    public var positional: String

    /// Facts derived from a config and a parameter count.
    public init(config: GPTConfig, parameterCount: Int) {
        layers = config.layers
        heads = config.heads
        width = config.width
        headSize = config.headSize
        mlpWidth = 4 * config.width
        contextLength = config.contextLength
        vocabSize = config.vocabSize
        parameters = Format.grouped(parameterCount)
        positional = config.positional.rawValue
    }
}

/// Everything the lessons say about a real run of the model: the seam between the model and the
/// lesson text. The real implementation runs the shipped checkpoint (`EngineRun`); tests use a fake.
///
/// `values` is called once per build, with the validated config, and must be deterministic.
public protocol LessonRun {
    /// Model dimensions, shown in every chapter.
    var facts: ModelFacts { get }
    /// How many tokens a prompt becomes (throws if the tokenizer cannot take it).
    func tokenCount(_ prompt: String) throws(UserError) -> Int
    /// The measured values of all 14 chapters, for this config's scenarios.
    func values(config: LessonConfig) throws(UserError) -> RunValues
    /// `config` with the prompts its scenarios search for (`searchOpenings`) filled in, so the
    /// figures draw what the text describes. Deterministic and idempotent.
    func resolveSearches(_ config: LessonConfig) -> LessonConfig
}

extension LessonRun {
    /// A run that cannot search keeps the prompts as given.
    public func resolveSearches(_ config: LessonConfig) -> LessonConfig { config }
}
