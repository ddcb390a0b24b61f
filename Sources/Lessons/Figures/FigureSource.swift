import TinyGPT
import Figures
import Foundation

/// What the builder asks a figure source to draw: one figure of one chapter (or one frame of a
/// walkthrough), fully resolved from `lessons.json`.
public struct FigureSpec: Sendable {
    /// `05-scores` for chapter figures, `masked-attention-003` for walkthrough frames; file names use it.
    public var fileStem: String
    /// Chapter number (0 for walkthrough frames).
    public var chapter: Int
    /// Figure id from the config (walkthrough name for frames).
    public var id: String
    /// What to draw.
    public var stage: FigureStage
    /// Stage parameters (walkthrough frames add `frame` and `frames`).
    public var parameters: [String: String]
    /// The run to draw, if any.
    public var scenario: ScenarioConfig?
    /// Caption from the config, already filled with the run's numbers.
    public var caption: String
    /// Alt text from the config, already filled.
    public var alt: String
}

/// A drawn figure: both formats, with the text that goes under and behind it.
public struct RenderedFigure: Sendable {
    /// PNG bytes (linked from markdown).
    public var png: Data
    /// SVG bytes (written beside the PNG).
    public var svg: Data
    /// The caption printed under the figure; a source may pass `FigureSpec.caption` through.
    public var caption: String
    /// The image's alt text.
    public var alt: String

    /// Bundles a drawing.
    public init(png: Data, svg: Data, caption: String, alt: String) {
        self.png = png; self.svg = svg; self.caption = caption; self.alt = alt
    }
}

/// Draws figures. The real source (cairo, one stage per file) lives in the figures module;
/// tests use a fake. Must be deterministic: the same spec gives the same bytes.
public protocol FigureSource {
    /// Draws one figure or walkthrough frame in one language.
    func render(_ figure: FigureSpec, language: Language) throws(UserError) -> RenderedFigure
    /// `render` may be called from several threads at once.
    var isThreadSafe: Bool { get }
    /// How many frames a walkthrough has for its prompt (the data decides; `frames` in the spec only caps it).
    func frameCount(_ walkthrough: FigureSpec, language: Language) throws(UserError) -> Int
}

extension FigureSource {
    /// By default, the `frames` cap itself.
    public func frameCount(_ walkthrough: FigureSpec, language: Language) throws(UserError) -> Int {
        Int(walkthrough.parameters["frames"] ?? "") ?? 1
    }
    /// By default, one thread.
    public var isThreadSafe: Bool { false }
}
