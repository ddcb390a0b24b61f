import TinyGPT

/// Which model run a stage draws: a prompt and (for generation stages) decoding options.
///
///     let request = StageRequest(stage: .attentionScores, prompt: "我爱机器学习",
///                                parameters: ["layer": "0", "head": "1"])
///     let figures = try StageFigures.render(request, bundle: bundle, experiments: experiments,
///                                           language: .zh, theme: .light)
public struct StageRequest: Sendable {
    /// The stage to draw.
    public var stage: FigureStage
    /// The prompt; ignored by stages that draw no run (training curves, the mask matrix without
    /// a prompt, the architecture). Stages that need one throw `UserError` when it is empty.
    public var prompt: String
    /// Decoding options for the generation stages (`greedySteps`, `beamTree`, `temperature`,
    /// `topKTopP`, `generationFrame`, `generationStep`, `repetition`); each has a default.
    public var options: GenerationOptions?
    /// `FigureStage.parameters` as text (`["layer": "0"]`); unknown names and bad values throw a
    /// `UserError` that lists what is allowed.
    public var parameters: [String: String]
    /// A real training window (token ids: inputs followed by the last target) for
    /// `trainingWindow`, `crossEntropy` and `gradientFlow`, or a real text for `contextLimit`;
    /// `nil` uses the prompt's tokens (for `contextLimit`, the prompt continued past the context).
    public var window: [Int]?
    /// For `nextTokenBars`: how often words follow the prompt in the training corpus, drawn as
    /// outlined bars beside the model's probabilities (`nil`: none).
    public var targets: ContinuationCounts?

    /// Creates a request.
    public init(stage: FigureStage, prompt: String = "", options: GenerationOptions? = nil,
                parameters: [String: String] = [:], window: [Int]? = nil)
    {
        self.stage = stage
        self.prompt = prompt
        self.options = options
        self.parameters = parameters
        self.window = window
    }
}

/// One drawn figure of a stage, with the words that go under and behind it.
///
///     let figure = try StageFigures.render(request, …)[0]
///     try figure.drawing.png(scale: 2).write(to: url)
///     print(figure.caption)
public struct StageFigure: Sendable {
    /// File stem: the stage name, plus `-NN` for the frames of a walkthrough.
    public var name: String
    /// The figure itself (title drawn on it; `description` is the alt text).
    public var drawing: Drawing
    /// A sentence or two for under the figure, quoting the real numbers.
    public var caption: String
    /// What the figure shows, for readers who cannot see it.
    public var alt: String

    /// Creates a figure.
    public init(name: String, drawing: Drawing, caption: String, alt: String) {
        self.name = name
        self.drawing = drawing
        self.caption = caption
        self.alt = alt
    }
}
