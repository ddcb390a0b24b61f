import TinyGPT
/// The figure stages a lesson may ask for. Each is drawn by one stage of the figures module
/// (`Sources/Figures/Stages/`), and each accepts a fixed set of parameters.
///
/// The raw value is the `stage` string in `lessons.json` and of `gptx render --stage`.
///
///     let stage = FigureStage(rawValue: "attentionScores")!   // drawn by MaskedAttention.swift
///     stage.parameters                                         // ["layer", "head"]
public enum FigureStage: String, CaseIterable, Sendable {
    case nextTokenBars, trainingWindow, lossCurve, fineTuneShift
    case architecture, embeddingLookup, positionalEncodings, ropeRotation, blockSteps
    case chainRule, embeddingPCA
    case maskMatrix, attentionScores, weightedSum
    case headPatterns, headConcat
    case greedySteps, beamTree, temperature, topKTopP, generationFrame
    case parallelVsSequential, crossEntropy, gradientFlow
    case maskComparison
    case scalingLaw, lrSchedule, gradNorm, precision
    case repetition, contextLimit
    case pipeline
    // Walkthrough stages: one frame per call, `frame` = 1…frames.
    case tokenTrip, maskedAttentionStep, multiHeadStep, generationStep
    // Added with the renderer (issue 4): the prompt as tokens, and the residual stream's norms.
    case tokenization, residualStream
    // Walkthrough stages added with issue 8.
    case tokenMerges, softmaxStep, embeddingPositionStep, headOutputStep, wholeStep
    // Added with issue 10: what each depth would predict, the key/value cache, the MLP's neurons.
    case logitLens, kvCache, kvCacheStep, mlpActivations
    // The model while it trains, from the snapshots `gptx train` keeps (issue 10).
    case snapshotProbabilities, snapshotAttention, trainingStep
    // Issue 11: the steps the primer and the explainers show and the lessons skipped.
    case qkvProjection, scoreScaling, layerNormNorms, unembedding
    // Issue 10: an induction head beside a previous-token head, on a repeated random sequence.
    case inductionPattern

    /// The name on the command line: kebab-case like every other CLI value
    /// (`nextTokenBars` → `next-token-bars`, `embeddingPCA` → `embedding-pca`).
    public var cliName: String {
        var out = ""
        let chars = Array(rawValue)
        for (i, c) in chars.enumerated() {
            // A capital starts a word unless it continues an acronym (PCA, KV) already begun.
            if c.isUppercase, i > 0, !(chars[i - 1].isUppercase && (i + 1 == chars.count || chars[i + 1].isUppercase)) {
                out += "-"
            }
            out += c.lowercased()
        }
        return out
    }

    /// A stage by its command-line name (`next-token-bars`) or its camelCase raw value
    /// (`nextTokenBars`, kept as an alias); `nil` for neither.
    public init?(name: String) {
        guard let stage = Self(rawValue: name) ?? Self.allCases.first(where: { $0.cliName == name }) else { return nil }
        self = stage
    }

    /// Walkthrough stages draw one frame per call (`frame` = 1…`frames`); without `frame`, all.
    public var isWalkthrough: Bool {
        switch self {
        case .tokenTrip, .maskedAttentionStep, .multiHeadStep, .generationStep, .kvCacheStep: true
        case .tokenMerges, .softmaxStep, .embeddingPositionStep, .headOutputStep, .wholeStep: true
        case .trainingStep: true
        default: false
        }
    }

    /// Parameter names this stage understands (besides `frame` and `frames` for walkthrough stages).
    public var parameters: Set<String> {
        switch self {
        case .nextTokenBars: ["topK", "start", "targets"]
        case .trainingWindow: ["length"]
        case .lossCurve: ["smoothing"]
        case .fineTuneShift: ["topK"]
        case .architecture: []
        case .embeddingLookup: ["columns"]
        case .positionalEncodings: ["positions", "columns"]
        case .ropeRotation: ["pair", "positions"]
        case .blockSteps: ["layer"]
        case .chainRule: []
        case .embeddingPCA: ["tokens"]
        case .maskMatrix: ["length", "kind"]
        case .attentionScores: ["layer", "head"]
        case .weightedSum: ["layer", "head", "row"]
        case .headPatterns: []
        case .headConcat: ["layer"]
        case .greedySteps: []
        case .beamTree: []
        case .temperature: ["temperatures", "topK"]
        case .topKTopP: ["k", "p"]
        case .generationFrame: ["step"]
        case .parallelVsSequential: []
        case .crossEntropy: []
        case .gradientFlow: []
        case .maskComparison: ["length"]
        case .scalingLaw: []
        case .lrSchedule: []
        case .gradNorm: []
        case .precision: []
        case .repetition: []
        case .contextLimit: []
        case .pipeline: []
        case .tokenTrip, .maskedAttentionStep, .multiHeadStep, .generationStep: ["layer", "head"]
        case .tokenization: []
        case .residualStream: []
        case .tokenMerges, .embeddingPositionStep, .wholeStep: []
        case .softmaxStep: ["layer", "head", "row"]
        case .headOutputStep: ["layer"]
        case .logitLens: ["topK"]
        case .kvCache: ["layer"]
        case .kvCacheStep: ["layer", "head"]
        case .snapshotProbabilities, .snapshotAttention, .trainingStep: ["layer", "head", "topK", "start"]
        case .mlpActivations: ["layer", "neurons"]
        case .qkvProjection: ["layer", "head"]
        case .scoreScaling: ["layer"]
        case .layerNormNorms: []
        case .unembedding: ["topK"]
        case .inductionPattern: ["layer", "head"]
        }
    }
}
