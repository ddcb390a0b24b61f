import Foundation

/// How the fine-tuning run continues training the shipped model.
///
/// A constant learning rate (no warm-up, no decay), no weight decay, global-norm clipping at
/// `gradClip`, batches of `batchSize` windows of the model's full context drawn from the
/// fine-tuning documents by a `seed`ed generator.
public struct FineTuneSettings: Equatable, Sendable {
    /// The prompt whose next-token distribution is compared before and after.
    public var prompt: String
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    public var gradClip: Float
    public var seed: UInt64
    /// Tokens of the greedy continuations.
    public var maxTokens: Int

    public init(prompt: String = "我今天很", steps: Int = 60, batchSize: Int = 8, learningRate: Float = 1e-4,
                gradClip: Float = 1, seed: UInt64 = 1337, maxTokens: Int = 32) {
        self.prompt = prompt
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.gradClip = gradClip
        self.seed = seed
        self.maxTokens = maxTokens
    }

    /// The settings as a training config for `Trainer.optimize` (its `corpus` is `data`).
    func trainConfig(model: GPTConfig, data: String) -> TrainConfig {
        TrainConfig(model: model, corpus: data, steps: steps, batchSize: batchSize, learningRate: learningRate,
                    minLearningRate: learningRate, warmupSteps: 0, weightDecay: 0, beta1: 0.9, beta2: 0.95,
                    gradClip: gradClip, seed: seed, valFraction: 0.05, evalInterval: steps, evalBatches: 1)
    }
}

/// Chapters 2 and 10's fine-tuning run: the trained model continues training, with the same
/// loop as pre-training, on a few dozen documents of our own, and the next-token distribution
/// after a prompt is measured before and after.
public enum FineTuneExperiment {
    /// Fine-tunes a copy of `bundle.model` (the bundle and its files are left as they are) on the
    /// `*.txt` documents in `data` (the corpus format: documents separated by `<|endoftext|>` lines).
    ///
    ///     let bundle = try ModelBundle.load(directory: URL(fileURLWithPath: "lessons/model"))
    ///     let result = try FineTuneExperiment.run(bundle: bundle, data: URL(fileURLWithPath: "lessons/finetune"))
    ///     result.after[815] > result.before[815]   // 幸福 became more likely after 我今天很
    ///
    /// Throws a one-line `UserError` for bad settings, an unusable prompt, or a data folder that is
    /// missing, empty, or holds fewer tokens than one window of the model's context.
    public static func run(bundle: ModelBundle, data: URL, settings: FineTuneSettings = FineTuneSettings(),
                           progress: (TrainProgress) -> Void = { _ in }) throws(UserError) -> FineTuneResult {
        let config = settings.trainConfig(model: bundle.model.config, data: data.path)
        do { try config.validate() } catch { throw UserError("fine-tuning: \(error.message)") }
        if settings.maxTokens < 1 { throw UserError("fine-tuning max tokens \(settings.maxTokens) is out of range: allowed ≥ 1") }
        // Read as the start of a document, as training saw every document and chapter 4 reads it.
        let ids = [bundle.tokenizer.endOfTextID] + (try bundle.promptIDs(settings.prompt, reserve: 2))
        let documents = try Corpus.load(directory: data)
        let tokenizer = bundle.tokenizer
        let stream = [tokenizer.endOfTextID] + tokenizer.encode(documents: documents)
        let T = bundle.model.config.contextLength
        guard stream.count > T + 1 else {
            throw UserError("\(data.path): fine-tuning data too small: need more than \(T + 1) tokens for one window of the model's context (have \(stream.count))")
        }

        let model = GPT(config: bundle.model.config, parameters: bundle.model.parameters)
        let (before, beforeText) = try measure(model, ids, tokenizer: tokenizer, maxTokens: settings.maxTokens)
        let log = Trainer.optimize(model, train: stream, validation: nil, config: config, progress: progress)
        if let bad = log.first(where: { !$0.trainLoss.isFinite }) {
            throw UserError("fine-tuning diverged at step \(bad.step) (loss \(bad.trainLoss)): lower the learning rate")
        }
        let (after, afterText) = try measure(model, ids, tokenizer: tokenizer, maxTokens: settings.maxTokens)
        return FineTuneResult(prompt: settings.prompt, promptIDs: ids, documents: documents, steps: settings.steps,
                              learningRate: settings.learningRate, losses: log.map(\.trainLoss),
                              before: before, after: after, beforeText: beforeText, afterText: afterText,
                              batchSize: settings.batchSize)
    }

    /// The next-token probabilities after `ids` and the greedy continuation (without the prompt
    /// and without a final `<|endoftext|>`).
    static func measure(_ model: GPT, _ ids: [Int], tokenizer: Tokenizer, maxTokens: Int) throws(UserError) -> ([Float], String) {
        let probabilities = Sampler.softmax(model.nextTokenLogits(ids)).map { Float($0) }
        let result = try model.generate(prompt: ids, options: GenerationOptions(strategy: .greedy, maxTokens: maxTokens),
                                        endOfText: tokenizer.endOfTextID)
        let shown = result.ids.last == tokenizer.endOfTextID ? Array(result.ids.dropLast()) : result.ids
        return (probabilities, tokenizer.decode(shown))
    }
}
