import Foundation
import TinyGPT

/// A render session: the model, the experiment results, a language and a theme, and the runs
/// already made. Traces and decodings are memoised per prompt, so drawing every stage of one
/// prompt runs its forward pass once.
///
///     let renderer = StageRenderer(bundle: bundle, experiments: experiments, language: .zh, theme: .light)
///     for stage in FigureStage.allCases {
///         let figures = try renderer.render(StageRequest(stage: stage, prompt: "我爱机器学习"))
///     }
public final class StageRenderer {
    /// The model, tokenizer and training log drawn from.
    public let bundle: ModelBundle
    /// The scaling and fine-tuning results (`scalingLaw`, `fineTuneShift`).
    public let experiments: ExperimentResults
    /// The language of titles, labels, captions and alt text.
    public let language: Language
    /// Colours and type sizes.
    public let theme: Theme
    /// The training settings, when known (the clip threshold of `gradNorm`); without them the
    /// threshold is read off the log's clipped flags, and the figure says so.
    public let trainConfig: TrainConfig?
    let words: Words
    /// The corpus as `gptx train` split it, when given or once read (`trainingText()`).
    private var text: TrainingData?
    var studies: [String: SnapshotStudy] = [:]
    private var scans: [Int: NeuronScan] = [:]
    private var traces: [[Int]: Trace] = [:]
    private var generations: [String: GenerationResult] = [:]

    /// Creates a session.
    /// `trainingText` is the corpus as `gptx train` split it (the lessons pass theirs); without it,
    /// the stages that read it (`mlpActivations`, the snapshot stages) read the corpus named by
    /// `train-config.json` beside the model folder.
    public init(bundle: ModelBundle, experiments: ExperimentResults, language: Language, theme: Theme,
                trainConfig: TrainConfig? = nil, trainingText: TrainingData? = nil)
    {
        self.text = trainingText
        self.bundle = bundle
        self.experiments = experiments
        self.language = language
        self.theme = theme
        self.trainConfig = trainConfig
        words = Words(language: language)
    }

    var model: GPT { bundle.model }
    var config: GPTConfig { bundle.model.config }

    /// The figures of one request; see `StageFigures.render`.
    public func render(_ request: StageRequest) throws(UserError) -> [StageFigure] {
        let p = try StageParameters(stage: request.stage, values: request.parameters)
        switch request.stage {
        case .tokenization: return [try tokenizationFigure(request)]
        case .nextTokenBars: return [try nextTokenBarsFigure(request, p)]
        case .trainingWindow: return [try trainingWindowFigure(request, p)]
        case .lossCurve: return [try lossCurveFigure(p)]
        case .fineTuneShift: return [try fineTuneShiftFigure(p)]
        case .architecture: return [architectureFigure()]
        case .embeddingLookup: return [try embeddingLookupFigure(request, p)]
        case .positionalEncodings: return [try positionalEncodingsFigure(p)]
        case .ropeRotation: return [try ropeRotationFigure(request, p)]
        case .blockSteps: return [try blockStepsFigure(request, p)]
        case .residualStream: return [try residualStreamFigure(request)]
        case .logitLens: return [try logitLensFigure(request, p)]
        case .kvCache: return [try kvCacheFigure(request, p)]
        case .kvCacheStep: return try kvCacheFrames(request, p)
        case .snapshotProbabilities: return [try snapshotProbabilitiesFigure(request, p)]
        case .snapshotAttention: return [try snapshotAttentionFigure(request, p)]
        case .trainingStep: return try trainingFrames(request, p)
        case .mlpActivations: return [try mlpActivationsFigure(request, p)]
        case .qkvProjection: return [try qkvProjectionFigure(request, p)]
        case .scoreScaling: return [try scoreScalingFigure(request, p)]
        case .layerNormNorms: return [try layerNormNormsFigure(request)]
        case .unembedding: return [try unembeddingFigure(request, p)]
        case .inductionPattern: return [try inductionPatternFigure(p)]
        case .chainRule: return [try chainRuleFigure(request)]
        case .embeddingPCA: return [try embeddingPCAFigure(request, p)]
        case .maskMatrix: return [try maskMatrixFigure(request, p)]
        case .attentionScores: return [try attentionScoresFigure(request, p)]
        case .weightedSum: return [try weightedSumFigure(request, p)]
        case .headPatterns: return [try headPatternsFigure(request)]
        case .headConcat: return [try headConcatFigure(request, p)]
        case .greedySteps: return [try greedyStepsFigure(request)]
        case .beamTree: return [try beamTreeFigure(request)]
        case .temperature: return [try temperatureFigure(request, p)]
        case .topKTopP: return [try topKTopPFigure(request, p)]
        case .generationFrame: return [try generationFrameFigure(request, p)]
        case .parallelVsSequential: return [try parallelVsSequentialFigure(request)]
        case .crossEntropy: return [try crossEntropyFigure(request)]
        case .gradientFlow: return [try gradientFlowFigure(request)]
        case .maskComparison: return [try maskComparisonFigure(request, p)]
        case .scalingLaw: return [try scalingLawFigure()]
        case .lrSchedule: return [try lrScheduleFigure()]
        case .gradNorm: return [try gradNormFigure()]
        case .precision: return [precisionFigure()]
        case .repetition: return [try repetitionFigure(request)]
        case .contextLimit: return [try contextLimitFigure(request)]
        case .pipeline: return [try pipelineFigure(request)]
        case .tokenTrip: return try tokenTripFrames(request, p)
        case .maskedAttentionStep: return try maskedAttentionFrames(request, p)
        case .multiHeadStep: return try multiHeadFrames(request, p)
        case .generationStep: return try generationStepFrames(request, p)
        case .tokenMerges: return try tokenMergeFrames(request, p)
        case .softmaxStep: return try softmaxFrames(request, p)
        case .embeddingPositionStep: return try embeddingPositionFrames(request, p)
        case .headOutputStep: return try headOutputFrames(request, p)
        case .wholeStep: return try wholeStepFrames(request, p)
        }
    }

    // MARK: Runs, memoised

    /// The prompt's token ids; throws for an empty prompt or one longer than the context.
    func promptIDs(_ request: StageRequest, reserve: Int = 0) throws(UserError) -> [Int] {
        try bundle.promptIDs(request.prompt, reserve: reserve)
    }

    /// The prompt's ids for a stage that generates: a prompt that fills the context keeps only
    /// its last `contextLength − room` tokens (what a sliding window would read).
    func generationPromptIDs(_ request: StageRequest, room: Int = 1) throws(UserError) -> [Int] {
        let ids = try promptIDs(request)
        return Array(ids.suffix(config.contextLength - room))
    }

    /// Token labels as figures show them (`␣` for spaces).
    func labels(_ ids: [Int]) -> [String] { ids.map { bundle.tokenizer.displayText($0) } }

    /// Forward passes this session has run (tests check the memo works).
    private(set) var traceCount = 0

    /// The traced forward pass over `ids`, run once per session.
    func trace(_ ids: [Int]) -> Trace {
        if let t = traces[ids] { return t }
        traceCount += 1
        let t = model.forward(ids, trace: true).trace!
        traces[ids] = t
        return t
    }

    /// A decoding of `ids`, run once per session and options.
    func generation(_ ids: [Int], _ options: GenerationOptions, stopAtEndOfText: Bool = true) throws(UserError)
        -> GenerationResult
    {
        let key = "\(ids)|\(stopAtEndOfText)|" + String(decoding: (try? JSONEncoder().encode(options)) ?? Data(), as: UTF8.self)
        if let g = generations[key] { return g }
        let g = try model.generate(prompt: ids, options: options,
                                   endOfText: stopAtEndOfText ? bundle.tokenizer.endOfTextID : nil)
        generations[key] = g
        return g
    }

    /// The corpus as `gptx train` split it: the text given at init, else re-made from the corpus
    /// that the model's own `train-config.json` names (else the one beside the model folder).
    func trainingText() throws(UserError) -> TrainingData {
        if let text { return text }
        let file = TrainConfig.file(forModel: bundle.directory,
                                    fallback: bundle.directory.deletingLastPathComponent().appendingPathComponent("train-config.json"))
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw UserError("the training config \(file.path) is missing: this figure reads the training text it names")
        }
        let config = try TrainConfig.load(from: file)
        let corpus = config.corpusURL(configDirectory: file.deletingLastPathComponent())
        let t = TrainingData(documents: try Corpus.load(directory: corpus), tokenizer: bundle.tokenizer, config: config)
        text = t
        return t
    }

    /// Block `layer`'s neurons over `NeuronScan.standardWindows` of the training stream, run once per session.
    func neuronScan(layer: Int) throws(UserError) -> NeuronScan {
        if let s = scans[layer] { return s }
        let windows = NeuronScan.windows(of: try trainingText().train, length: config.contextLength, count: NeuronScan.standardWindows)
        guard !windows.isEmpty else { throw UserError("the training text is empty: no token to look up the MLP neurons in") }
        let s = NeuronScan(model: model, layer: layer, windows: windows)
        scans[layer] = s
        return s
    }

    /// `parameters[name]` checked against the model's layers.
    func layer(_ p: StageParameters) throws(UserError) -> Int {
        try p.int("layer", default: 0, in: 0...(config.layers - 1))
    }

    func head(_ p: StageParameters) throws(UserError) -> Int {
        try p.int("head", default: 0, in: 0...(config.heads - 1))
    }

    /// The (rows, columns) matrix `tensor[index, :, :]` of a 3-D tensor, as Doubles.
    func matrix(_ t: Tensor, _ index: Int) -> [[Double]] {
        let r = t.shape[1], c = t.shape[2]
        return (0..<r).map { i in (0..<c).map { j in Double(t.data[(index * r + i) * c + j]) } }
    }

    /// Rows of a 2-D tensor as Doubles.
    func rows(_ t: Tensor) -> [[Double]] {
        (0..<t.shape[0]).map { i in t.row(i).map(Double.init) }
    }

    /// The frames to draw of a walkthrough: `frame` alone, or 1…frames. The data decides the count
    /// (`available`, e.g. one per query row); the `frames` parameter only caps it (default `cap`), so a
    /// frame is never a repeat of another.
    func frameRange(_ p: StageParameters, available: Int, cap: Int = 64) throws(UserError) -> (frames: Int, which: [Int]) {
        let frames = min(max(1, available), try p.int("frames", default: cap, in: 1...999))
        if p.has("frame") { return (frames, [try p.int("frame", default: 1, in: 1...frames)]) }
        return (frames, Array(1...frames))
    }

    /// The 0-based item frame `f` (1…frames) shows when `frames` frames walk through `count` items:
    /// evenly spaced, strictly increasing, the last frame on the last item.
    func spread(_ f: Int, frames: Int, over count: Int) -> Int {
        max(0, min(count - 1, (f * count + frames - 1) / frames - 1))
    }

    /// `stage-03` for frame 3.
    func frameName(_ stage: FigureStage, _ frame: Int) -> String {
        stage.rawValue + "-" + (frame < 10 ? "0" : "") + String(frame)
    }
}
