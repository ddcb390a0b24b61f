import Foundation
import TinyGPT
import Figures

/// The real figure source: each `FigureSpec` becomes a `StageRequest` for the figures module's
/// `StageRenderer` (one session per language, so a prompt's forward pass runs once), drawn as PNG
/// at `pngScale` (2× for print) and SVG.
///
/// Captions and alt text of chapter figures come from `lessons.json` (already filled with the
/// run's numbers); walkthrough frames use the stage's own per-frame caption and alt text.
/// Walkthrough stages are rendered once for all frames and served frame by frame.
public final class StageFigureSource: FigureSource, @unchecked Sendable {
    let run: EngineRun
    let pngScale: Double
    let theme: Theme
    private var renderers: [Language: StageRenderer] = [:]
    private var frames: [String: [StageFigure]] = [:]
    /// Guards the dictionaries; `sessionLocks` serialise each language's renderer (it memoises runs).
    private let lock = NSLock()
    private let sessionLocks: [Language: NSLock] = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, NSLock()) })

    /// Figures are drawn under a per-language lock and encoded outside it, so two threads overlap.
    public var isThreadSafe: Bool { true }

    /// A source over the run's model, experiments and training config.
    public init(run: EngineRun, pngScale: Double = 2, theme: Theme = .light) {
        self.run = run
        self.pngScale = pngScale
        self.theme = theme
    }

    /// Runs `body` with the language's renderer, one caller at a time per language.
    func withRenderer<T>(_ language: Language, _ body: (StageRenderer) throws(UserError) -> T) throws(UserError) -> T {
        let l = sessionLocks[language]!
        l.lock(); defer { l.unlock() }
        return try body(renderer(language))
    }

    func renderer(_ language: Language) -> StageRenderer {
        lock.lock(); defer { lock.unlock() }
        if let r = renderers[language] { return r }
        let r = StageRenderer(bundle: run.bundle, experiments: run.experiments, language: language, theme: theme,
                              trainConfig: run.training.config,
                              trainingText: run.training.train.isEmpty ? nil : run.training.text(tokenizer: run.bundle.tokenizer))
        renderers[language] = r
        return r
    }

    /// The stage request for a spec: prompt and options from its scenario, and a real window where the stage takes one.
    func request(_ figure: FigureSpec) -> StageRequest {
        var parameters = figure.parameters
        parameters["frame"] = nil
        var request = StageRequest(stage: figure.stage, prompt: figure.scenario?.prompt ?? "", parameters: parameters)
        if let s = figure.scenario, s.maxNewTokens > 0 || figure.stage.isGeneration {
            request.options = ModelProbe.options(s)
        }
        switch figure.stage {
        case .trainingWindow:
            // As the trainer builds it: `<|endoftext|>` and the text (inputs, then the last target).
            if let s = figure.scenario { request.window = [run.bundle.tokenizer.endOfTextID] + run.bundle.tokenizer.encode(s.prompt) }
        case .crossEntropy, .gradientFlow:
            // The first sequence of chapter 8's batch of held-out text.
            request.window = run.training.validationWindows(count: EngineRun.lossBatch.sequences, length: EngineRun.lossBatch.length + 1).first
        case .nextTokenBars where figure.parameters["targets"] == "corpus":
            // The corpus's own split after the prompt: the very value the chapter's text prints.
            if let s = figure.scenario { request.targets = run.corpusSplit(prompt: s.prompt) }
        case .contextLimit:
            // Chapter 12's longest held-out document (the tokens its text counts).
            request.window = run.training.longestValidationDocument(endOfText: run.bundle.tokenizer.endOfTextID)
        default: break
        }
        return request
    }

    /// Draws one figure or walkthrough frame.
    public func render(_ figure: FigureSpec, language: Language) throws(UserError) -> RenderedFigure {
        let what = figure.chapter == 0 ? "walkthrough \(figure.id)" : "chapter \(figure.chapter): figure \"\(figure.id)\""
        let drawn: StageFigure
        do throws(UserError) {
            if figure.stage.isWalkthrough {
                let frame = Int(figure.parameters["frame"] ?? "1") ?? 1
                let all = try walkthroughFrames(figure, language: language)
                guard (1...all.count).contains(frame) else {
                    throw UserError("frame \(frame) is out of range: the stage drew \(all.count) frames")
                }
                drawn = all[frame - 1]
            } else {
                let r = request(figure)
                let figures = try withRenderer(language) { renderer throws(UserError) in try renderer.render(r) }
                guard let first = figures.first else { throw UserError("the stage drew nothing") }
                drawn = first
            }
        } catch { throw UserError("\(what): \(error.message)") }
        let png: Data, svg: Data
        do {
            png = try drawn.drawing.png(scale: pngScale)
            svg = try drawn.drawing.svg()
        } catch { throw UserError("\(what): cannot be drawn (\(error))") }
        return RenderedFigure(png: png, svg: svg, caption: figure.caption.isEmpty ? drawn.caption : figure.caption,
                              alt: figure.alt.isEmpty ? drawn.alt : figure.alt)
    }

    /// The frames the stage draws for this prompt (rendered once and cached for `render`).
    public func frameCount(_ walkthrough: FigureSpec, language: Language) throws(UserError) -> Int {
        do throws(UserError) { return try walkthroughFrames(walkthrough, language: language).count }
        catch { throw UserError("walkthrough \(walkthrough.id): \(error.message)") }
    }

    /// All frames of a walkthrough, rendered once per language and prompt.
    func walkthroughFrames(_ figure: FigureSpec, language: Language) throws(UserError) -> [StageFigure] {
        let key = "\(language.rawValue)|\(figure.id)|\(figure.scenario?.prompt ?? "")"
        lock.lock()
        if let cached = frames[key] { lock.unlock(); return cached }
        lock.unlock()
        let r = request(figure)
        let all = try withRenderer(language) { renderer throws(UserError) in try renderer.render(r) }
        lock.lock(); frames[key] = all; lock.unlock()
        return all
    }
}

extension FigureStage {
    /// Stages that draw a decoding run (they take generation options).
    var isGeneration: Bool {
        switch self {
        case .greedySteps, .beamTree, .temperature, .topKTopP, .generationFrame, .generationStep, .wholeStep, .repetition: true
        default: false
        }
    }
}
