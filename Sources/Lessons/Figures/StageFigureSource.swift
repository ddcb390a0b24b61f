import Foundation
import TinyGPT
import Figures

/// The real figure source: each `FigureSpec` becomes a `StageRequest` for the figures module's
/// stage renderer, drawn as PNG (at `pngScale`, 2× for print) and SVG.
public final class StageFigureSource: FigureSource {
    let run: EngineRun
    let pngScale: Double

    /// A source over the run's model and experiments.
    public init(run: EngineRun, pngScale: Double = 2) {
        self.run = run
        self.pngScale = pngScale
    }

    /// Draws one figure or walkthrough frame.
    public func render(_ figure: FigureSpec, language: Language) throws(UserError) -> RenderedFigure {
        throw UserError("figure \(figure.fileStem): the stage figures are not merged into this build yet")
    }
}
