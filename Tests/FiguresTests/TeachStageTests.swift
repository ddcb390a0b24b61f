import Foundation
import Testing
import TinyGPT
@testable import Figures

/// The stages of issue 11 (q/k/v projection, √d_k, LayerNorm lengths, unembedding) and the
/// architecture's skip paths: their numbers against plain Double loops over the checkpoint's
/// weights, their figures byte-identical on re-render, their labels inside the page, apart and in
/// the font in both languages.
@Suite struct TeachStageTests {
    static let stages: [FigureStage] = [.qkvProjection, .scoreScaling, .layerNormNorms, .unembedding, .architecture, .blockSteps]

    /// LayerNorm in Double: (x − μ)/√(var + 1e-5) · γ + β, and the standardised z before γ and β.
    static func layerNorm(_ x: [Double], weight: String, bias: String) -> (z: [Double], y: [Double]) {
        let m = Shipped.bundle.model, g = m.tensor(weight)!.data, b = m.tensor(bias)!.data, C = x.count
        let mean = x.reduce(0, +) / Double(C)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(C)
        let z = x.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
        return (z, (0..<C).map { z[$0] * Double(g[$0]) + Double(b[$0]) })
    }

    static func length(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Block 0's LN1 input at each position, by hand: token row plus position row.
    static func embedded(_ ids: [Int]) -> [[Double]] {
        let m = Shipped.bundle.model, C = m.config.width
        let wte = m.tensor("wte.weight")!.data, wpe = m.tensor("wpe.weight")!.data
        return ids.enumerated().map { t, id in (0..<C).map { Double(wte[id * C + $0]) + Double(wpe[t * C + $0]) } }
    }

    /// q, k, v of block 0 by hand: LN1(x) · c_attn.weight + c_attn.bias, columns part·C + j.
    static func qkvByHand(_ ids: [Int]) -> [[Double]] {
        let m = Shipped.bundle.model, C = m.config.width
        let w = m.tensor("h.0.attn.c_attn.weight")!.data, bias = m.tensor("h.0.attn.c_attn.bias")!.data
        return embedded(ids).map { x in
            let y = layerNorm(x, weight: "h.0.ln_1.weight", bias: "h.0.ln_1.bias").y
            return (0..<(3 * C)).map { col in (0..<C).reduce(Double(bias[col])) { $0 + y[$1] * Double(w[$1 * 3 * C + col]) } }
        }
    }

    static func texts(_ f: StageFigure) -> [String] { f.drawing.labelBounds().map(\.label.text) }

    @Test func rendersAreByteIdentical() throws {
        for stage in Self.stages {
            try expectRendersByteIdentical(stage)
        }
    }

    /// A full-context prompt, both languages: every label inside the canvas, in the font, and no two overlapping.
    @Test(arguments: [Language.zh, .en]) func labelsFit(language: Language) throws {
        for stage in Self.stages {
            let f = try Shipped.renderer(language).render(StageRequest(stage: stage, prompt: Shipped.fullContext))[0]
            let problems = LabelProblems(f.drawing)
            #expect(problems.outside.isEmpty, "\(stage): \(problems.outside.prefix(3))")
            #expect(problems.missingGlyphs.isEmpty, "\(stage): no glyph for \(problems.missingGlyphs)")
            #expect(problems.overlaps.isEmpty, "\(stage): \(problems.overlaps.prefix(3))")
        }
    }

    /// The projection's q, k, v are LN1(x)·W_QKV + b by hand at every position, and the product the figure prints is q₁·k₀ of those.
    @Test func qkvProjectionMatchesTheWeights() throws {
        let ids = try Shipped.bundle.promptIDs(Shipped.typical), C = 64, HS = 16
        let p = QKVProjection(trace: Shipped.bundle.model.forward(ids, trace: true).trace!, layer: 0)
        let hand = Self.qkvByHand(ids)
        for t in ids.indices {
            let worst = zip(p.row(t).map(Double.init), hand[t]).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-4, "position \(t): differs by \(worst)")
        }
        #expect(p.slice(.k, head: 2)[1].map(Double.init).enumerated().allSatisfy { abs($1 - hand[1][C + 2 * HS + $0]) < 1e-4 })
        let dot = (0..<HS).reduce(0.0) { $0 + hand[1][$1] * hand[0][C + $1] }
        #expect(abs(p.dot(query: 1, key: 0, head: 0) - dot) < 1e-3)
        let f = try Shipped.renderer(.en).render(StageRequest(stage: .qkvProjection, prompt: Shipped.typical))[0]
        #expect(Self.texts(f).contains { $0.contains("= \(Num.fixed(dot, 3))") }, "\(Self.texts(f))")
        #expect(f.caption.contains("4×192") && f.caption.contains("columns 0–15"), "\(f.caption)")
    }

    /// The variances are those of q·k over the kept pairs by hand, the division makes them d_k times
    /// smaller, and the peaks are softmax maxima of those rows; the figure's bars print the means.
    @Test func scoreScalingMatchesAHandCount() throws {
        let ids = try Shipped.bundle.promptIDs(Shipped.typical), C = 64, HS = 16, T = ids.count
        let hand = Self.qkvByHand(ids)
        let s = ScoreScaling(projection: QKVProjection(trace: Shipped.bundle.model.forward(ids, trace: true).trace!, layer: 0))
        var means = (raw: 0.0, scaled: 0.0, rawPeak: 0.0, scaledPeak: 0.0)
        for h in 0..<4 {
            var dots: [Double] = [], rawPeak = 0.0, scaledPeak = 0.0
            for i in 0..<T {
                let row = (0...i).map { j in (0..<HS).reduce(0.0) { $0 + hand[i][h * HS + $1] * hand[j][C + h * HS + $1] } }
                dots += row
                func peak(_ r: [Double]) -> Double { let e = r.map { exp($0 - r.max()!) }; return 1 / e.reduce(0, +) }
                if i > 0 { rawPeak += peak(row); scaledPeak += peak(row.map { $0 / 4 }) }
            }
            let mean = dots.reduce(0, +) / Double(dots.count)
            let variance = dots.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(dots.count)
            let m = s.heads[h]
            #expect(m.pairs == T * (T + 1) / 2)
            #expect(abs(m.rawVariance - variance) < 1e-3 * max(1, variance), "head \(h): \(m.rawVariance) vs \(variance)")
            #expect(abs(m.scaledVariance * 16 - m.rawVariance) < 1e-9 * max(1, m.rawVariance))
            #expect(abs(m.rawPeak - rawPeak / Double(T - 1)) < 1e-5 && abs(m.scaledPeak - scaledPeak / Double(T - 1)) < 1e-5)
            means = (means.raw + variance / 4, means.scaled + variance / 64, means.rawPeak + rawPeak / Double(T - 1) / 4,
                     means.scaledPeak + scaledPeak / Double(T - 1) / 4)
        }
        #expect(abs(s.pooled.rawVariance - means.raw) < 1e-3 * max(1, means.raw))
        #expect(abs(s.pooled.scaledPeak - means.scaledPeak) < 1e-5 && abs(s.pooled.rawPeak - means.rawPeak) < 1e-5)
        let labels = Self.texts(try Shipped.renderer(.en).render(StageRequest(stage: .scoreScaling, prompt: Shipped.typical))[0])
        for v in [s.pooled.rawVariance, s.pooled.scaledVariance, s.pooled.scaledPeak, s.pooled.rawPeak] {
            #expect(labels.contains(StageFigures.scalingText(v)), "\(StageFigures.scalingText(v)) not drawn")
        }
    }

    /// Block 0's LN1 by hand: ‖x‖, ‖z‖ (≈ √C, a hair less for ε) and ‖γ⊙z+β‖ at the last token; the
    /// last site is ln_f on the last block's output; the figure prints the first site's bars.
    @Test func layerNormNormsMatchTheWeights() throws {
        let ids = try Shipped.bundle.promptIDs(Shipped.typical), last = ids.count - 1
        let trace = Shipped.bundle.model.forward(ids, trace: true).trace!
        let n = LayerNormNorms(trace: trace, model: Shipped.bundle.model, position: last)
        #expect(n.sites.count == 2 * 4 + 1 && n.target == 8)
        let x = Self.embedded(ids)[last], ln = Self.layerNorm(x, weight: "h.0.ln_1.weight", bias: "h.0.ln_1.bias")
        #expect(abs(n.sites[0].input - Self.length(x)) < 1e-4)
        #expect(abs(n.sites[0].standardised - Self.length(ln.z)) < 1e-4 && n.sites[0].standardised < 8 && n.sites[0].standardised > 7.99)
        #expect(abs(n.sites[0].output - Self.length(ln.y)) < 1e-4)
        let xf = trace[TraceName.residPost(layer: 3)]!.row(last).map(Double.init)
        #expect(abs(n.sites.last!.output - Self.length(Self.layerNorm(xf, weight: "ln_f.weight", bias: "ln_f.bias").y)) < 1e-3)
        let f = try Shipped.renderer(.en).render(StageRequest(stage: .layerNormNorms, prompt: Shipped.typical))[0]
        for v in [n.sites[0].input, n.sites[0].output] { #expect(Self.texts(f).contains(StageFigures.blockNormText(v))) }
        // The same LN1 length is figure 3.5's LN1 bar.
        let block = try Shipped.renderer(.en).render(StageRequest(stage: .blockSteps, prompt: Shipped.typical))[0]
        #expect(Self.texts(block).contains(StageFigures.blockNormText(Self.length(ln.y))))
    }

    /// Every logit is the model's own (its logits row) and h·e_v = ‖h‖‖e_v‖cos θ; the top rows are the largest logits.
    @Test func unembeddingIsTheModelsLogits() throws {
        let ids = try Shipped.bundle.promptIDs(Shipped.typical), last = ids.count - 1
        let result = Shipped.bundle.model.forward(ids, trace: true)
        let u = Unembedding(model: Shipped.bundle.model, trace: result.trace!, position: last)
        let model = Array(result.logits.row(last)).map(Double.init)
        #expect(zip(u.logits, model).allSatisfy { abs($0 - $1) < 1e-3 * max(1, abs($1)) })
        let top = u.top(5), order = model.indices.sorted { model[$0] > model[$1] }
        #expect(top.map(\.id) == Array(order.prefix(5)))
        for r in top { #expect(abs(r.norm * u.hNorm * r.cosine - r.logit) < 1e-9 * max(1, abs(r.logit))) }
        let f = try Shipped.renderer(.en).render(StageRequest(stage: .unembedding, prompt: Shipped.typical))[0]
        #expect(Self.texts(f).contains(StageFigures.unembeddingText(top[0].logit)))
        #expect(f.caption.contains("cos θ \(StageFigures.unembeddingText(top[0].cosine))"), "\(f.caption)")
    }

    /// The block's inside has two skip paths: x around attention to the first "+ residual", and from there around the MLP.
    @Test func architectureDrawsTheResidualPaths() throws {
        let f = try Shipped.renderer(.en).render(StageRequest(stage: .architecture))[0]
        #expect(Self.texts(f).filter { $0 == "x" }.count == 2)
        let noSkip = BlockDiagram(boxes: [.init(id: "a", label: "a", column: 0, row: 0), .init(id: "b", label: "b", column: 0, row: 2)],
                                  arrows: [.init(from: "a", to: "b")])
        var skip = noSkip
        skip.arrows.append(.init(from: "a", to: "b", label: "x", bypass: true))
        let frame = Rect(x: 0, y: 0, width: 400, height: 300)
        let extra = skip.draw(in: frame, theme: .light).count - noSkip.draw(in: frame, theme: .light).count
        #expect(extra == 4, "a skip path is a line, an arrowhead and a labelled chip")
        #expect(f.caption.contains("residual connections"))
    }
}
