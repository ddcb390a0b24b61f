import Foundation
import Testing
import TinyGPT
@testable import Figures

/// The stages of issue 10 (logit lens, key/value cache, MLP neurons): their numbers against
/// independent arithmetic, and their figures byte-identical on re-render. Labels inside the
/// canvas and glyph coverage are checked for every stage by `StageTests` and `StageTextTests`.
@Suite struct NewStageTests {
    static let newStages: [FigureStage] = [.logitLens, .kvCache, .kvCacheStep]

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

    /// The counts against the closed forms: without the cache a step over n tokens pays
    /// L·(12C²·n + C·n(n+1)) + n·C·V (the causal triangle of scores and weighted sums); with it,
    /// one row, L·(12C² + 2nC) + C·V.
    @Test func cacheCountsFollowTheFormula() {
        let c = Shipped.bundle.model.config, L = c.layers, C = c.width, V = c.vocabSize
        let steps = DecodingCost.steps(c, promptLength: 3, generated: 6)
        #expect(steps.map(\.length) == [3, 4, 5, 6, 7, 8])
        #expect(steps[0].newRows == 0..<3 && steps[0].reusedRows.isEmpty && steps[0].cached == steps[0].uncached)
        for s in steps {
            let n = s.length
            #expect(s.uncached == L * (12 * C * C * n + C * n * (n + 1)) + n * C * V, "step \(s.step)")
            if s.step > 1 {
                #expect(s.newRows == (n - 1)..<n && s.reusedRows == 0..<(n - 1))
                #expect(s.cached == L * (12 * C * C + 2 * n * C) + C * V, "step \(s.step)")
            }
        }
        // 64·64 width, 4 blocks, 1,024 tokens: a row at position 0 is 4·(12·4096 + 128) + 65,536.
        #expect(DecodingCost.row(c, position: 0) == 262_656)
    }

    /// The row the cache computes for a new token is the uncached pass's row for that position,
    /// bit for bit, for K and V of every block.
    @Test func newCacheRowEqualsTheFullPass() throws {
        let model = Shipped.bundle.model, c = model.config
        let ids = try Shipped.bundle.promptIDs("人工智能是未来的")
        var cache = KVCache(model: model)
        let full = model.forward(ids, trace: true).trace!
        for (t, id) in ids.enumerated() {
            let step = cache.appendTraced(id).trace
            for l in 0..<c.layers {
                for name in [TraceName.k(layer: l), TraceName.v(layer: l)] {
                    let new = step[name]!.data, row = Array(full[name]!.data[(t * c.width)..<((t + 1) * c.width)])
                    #expect(new == row, "\(name) at position \(t)")
                }
            }
        }
    }

    /// The walkthrough draws one frame per generated token, whatever `frames` says elsewhere,
    /// and a beam request falls back to one greedy sequence.
    @Test func cacheFramesFollowTheRun() throws {
        let r = Shipped.renderer()
        let options = GenerationOptions(strategy: .greedy, maxTokens: 4)
        let ids = try Shipped.bundle.promptIDs("人工智能是")
        let generated = try r.generation(ids, options).ids.count
        let frames = try r.render(StageRequest(stage: .kvCacheStep, prompt: "人工智能是", options: options))
        #expect(frames.count == generated && frames.map(\.name).last == "kvCacheStep-0\(generated)")
        let one = try r.render(StageRequest(stage: .kvCacheStep, prompt: "人工智能是", options: options, parameters: ["frame": "2"]))
        #expect(one.count == 1 && one[0].name == "kvCacheStep-02" && one[0].caption == frames[1].caption)
        let beam = try r.render(StageRequest(stage: .kvCache, prompt: "人工智能是", options: GenerationOptions(strategy: .beam, beamWidth: 2, maxTokens: 4)))
        #expect(beam[0].caption == (try r.render(StageRequest(stage: .kvCache, prompt: "人工智能是", options: options)))[0].caption)
    }
}
