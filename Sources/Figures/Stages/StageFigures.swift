import TinyGPT

/// Draws the stage figures from a real run of the model.
///
/// `render` runs what the stage needs (a traced forward pass, a decoding, the training log, an
/// experiment result) and hands plain values to the stage's figure function, one file per stage
/// in `Sources/Figures/Stages/`. To draw many stages of the same prompt, use one `StageRenderer`
/// so the forward pass runs once.
///
///     let figures = try StageFigures.render(StageRequest(stage: .headPatterns, prompt: "人工智能是"),
///                                           bundle: bundle, experiments: experiments,
///                                           language: .en, theme: .light)
public enum StageFigures {
    /// Runs what the stage needs and returns its figure(s): one, or every frame of a walkthrough
    /// stage when no `frame` parameter is given.
    public static func render(_ request: StageRequest, bundle: ModelBundle, experiments: ExperimentResults,
                              language: Language, theme: Theme) throws(UserError) -> [StageFigure]
    {
        try StageRenderer(bundle: bundle, experiments: experiments, language: language, theme: theme)
            .render(request)
    }
}
