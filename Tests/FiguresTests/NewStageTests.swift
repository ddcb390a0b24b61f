import Foundation
import Testing
import TinyGPT
@testable import Figures

/// The stages of issue 10 (logit lens, key/value cache, MLP neurons): their numbers against
/// independent arithmetic, and their figures byte-identical on re-render. Labels inside the
/// canvas and glyph coverage are checked for every stage by `StageTests` and `StageTextTests`.
@Suite struct NewStageTests {
    static let newStages: [FigureStage] = [.logitLens]

    @Test func rendersAreByteIdentical() throws {
        for stage in Self.newStages {
            let a = try Shipped.renderer(.en).render(StageRequest(stage: stage, prompt: Shipped.typical))
            let b = try Shipped.renderer(.en).render(StageRequest(stage: stage, prompt: Shipped.typical))
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                #expect(x.drawing == y.drawing, "\(x.name): drawings differ")
                #expect(try x.drawing.png(scale: 1) == y.drawing.png(scale: 1), "\(x.name): PNG bytes differ")
                #expect(try x.drawing.svg() == y.drawing.svg(), "\(x.name): SVG bytes differ")
            }
        }
    }

    /// The lens's last depth is the model's own logits; a middle depth equals ln_f and W_E
    /// applied by hand in Double to that block's output.
    @Test func logitLensMatchesTheModel() throws {
        let model = Shipped.bundle.model, c = model.config
        let ids = try Shipped.bundle.promptIDs(Shipped.typical)
        let result = model.forward(ids, trace: true)
        let lens = LogitLens(model: model, trace: result.trace!)
        #expect(lens.depths == c.layers + 1 && lens.positions == ids.count)
        for t in 0..<ids.count {
            let ours = lens.logits(depth: c.layers, position: t), theirs = Array(result.logits.row(t))
            #expect(zip(ours, theirs).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "position \(t)")
        }
        let w = model.tensor("ln_f.weight")!.data, b = model.tensor("ln_f.bias")!.data, wte = model.tensor("wte.weight")!.data
        let depth = 2, t = ids.count - 1, C = c.width
        let x = result.trace![TraceName.residPost(layer: depth - 1)]!.row(t).map(Double.init)
        let mean = x.reduce(0, +) / Double(C)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(C)
        let y = (0..<C).map { (x[$0] - mean) / (variance + 1e-5).squareRoot() * Double(w[$0]) + Double(b[$0]) }
        let lensRow = lens.logits(depth: depth, position: t)
        for v in stride(from: 0, to: c.vocabSize, by: 37) {
            let expected = (0..<C).reduce(0.0) { $0 + y[$1] * Double(wte[v * C + $1]) }
            #expect(abs(Double(lensRow[v]) - expected) < 1e-3, "token \(v): \(lensRow[v]) vs \(expected)")
        }
        // The embedding depth reads the token itself back (tied unembedding), as the lesson says.
        #expect(lens.top(1, depth: 0, position: t)[0].id == ids[t])
    }
}
