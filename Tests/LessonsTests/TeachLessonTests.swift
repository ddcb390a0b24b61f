import Foundation
import Testing
import TinyGPT
import Figures
@testable import Lessons

/// Issue 11, chapters 3 and 5: every number the new sections print is the one their figure draws
/// (the lesson's figure request rendered, its labels read), and equals plain Double arithmetic
/// over the checkpoint's weights.
@Suite(.serialized) struct TeachLessonTests {
    /// The lesson's own figure `id` of `chapter`, drawn by the real source's request in English.
    static func figure(_ chapter: Int, _ id: String) throws -> StageFigure {
        let request = StageFigureSource(run: Real.run).request(try TrustTests.spec(chapter: chapter, figure: id))
        return try StageFigures.render(request, bundle: Real.bundle, experiments: Real.experiments, language: .en, theme: .light)[0]
    }

    static func labels(_ f: StageFigure) -> [String] { f.drawing.labelBounds().map(\.label.text) }

    static func length(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// (x − μ)/√(var + 1e-5), then · γ + β.
    static func layerNorm(_ x: [Double], _ prefix: String) -> (z: [Double], y: [Double]) {
        let m = Real.bundle.model, g = m.tensor("\(prefix).weight")!.data, b = m.tensor("\(prefix).bias")!.data, C = x.count
        let mean = x.reduce(0, +) / Double(C)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(C)
        let z = x.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
        return (z, (0..<C).map { z[$0] * Double(g[$0]) + Double(b[$0]) })
    }

    static func ids(_ chapter: Int, _ scenario: String) throws -> [Int] {
        Real.bundle.tokenizer.encode(try #require(TrustTests.config.chapter(chapter)).scenario(scenario).prompt)
    }

    /// Figure 3.5 and the text: the last token's lengths, one value; block 0's entry and LN1 by hand.
    @Test func chapter3BlockTextIsTheFiguresBars() throws {
        let f = try Self.figure(3, "block"), drawn = Self.labels(f)
        for key in ["residIn", "ln1", "attnOut", "mlpOut", "residOut"] {
            let printed = Real.printed("ch3.block.\(key)", 3)
            #expect(drawn.contains(printed), "ch3.block.\(key) = \(printed) is not a bar of figure 3.5: \(drawn)")
        }
        let ids = try Self.ids(3, "prompt"), last = ids.count - 1, m = Real.bundle.model, C = m.config.width
        let wte = m.tensor("wte.weight")!.data, wpe = m.tensor("wpe.weight")!.data
        let x = (0..<C).map { Double(wte[ids[last] * C + $0]) + Double(wpe[last * C + $0]) }
        expectPrinted(Real.printed("ch3.block.residIn", 3), equals: Self.length(x), "‖x‖ entering block 0")
        expectPrinted(Real.printed("ch3.block.ln1", 3), equals: Self.length(Self.layerNorm(x, "h.0.ln_1").y), "‖LN1(x)‖")
        #expect(Real.printed("ch3.block.token", 3) == Format.code(Real.bundle.tokenizer.displayText(ids[last])))
        for language in [Language.zh, .en] {
            #expect(!Real.lesson(3, language).contains("mean vector length") && !Real.lesson(3, language).contains("平均向量长度"))
        }
    }

    /// The LayerNorm section: ‖x‖, ‖z‖, ‖γ⊙z+β‖ of block 0's LN1 by hand, the same as figure 3.5's LN1 bar and drawn in its own figure.
    @Test func chapter3LayerNormFromTheWeights() throws {
        let ids = try Self.ids(3, "prompt"), last = ids.count - 1, m = Real.bundle.model, C = m.config.width
        let wte = m.tensor("wte.weight")!.data, wpe = m.tensor("wpe.weight")!.data
        let x = (0..<C).map { Double(wte[ids[last] * C + $0]) + Double(wpe[last * C + $0]) }
        let ln = Self.layerNorm(x, "h.0.ln_1")
        expectPrinted(Real.printed("ch3.norms.input", 3), equals: Self.length(x), "LN1 input")
        expectPrinted(Real.printed("ch3.norms.standardised", 3), equals: Self.length(ln.z), "‖z‖")
        expectPrinted(Real.printed("ch3.norms.output", 3), equals: Self.length(ln.y), "‖LN1(x)‖")
        expectPrinted(Real.printed("ch3.norms.root", 3), equals: Double(C).squareRoot(), "√C")
        #expect(Real.printed("ch3.norms.output", 3) == Real.printed("ch3.block.ln1", 3), "figure 3.5's LN1 bar and the LayerNorm section differ")
        // ln_f on the last block's output, by hand from the traced stream.
        let trace = m.forward(ids, trace: true).trace!
        let xf = trace[TraceName.residPost(layer: m.config.layers - 1)]!.row(last).map(Double.init)
        expectPrinted(Real.printed("ch3.norms.final", 3), equals: Self.length(Self.layerNorm(xf, "ln_f").y), "‖ln_f(x)‖")
        let drawn = Self.labels(try Self.figure(3, "layerNorm"))
        for key in ["input", "output", "smallest", "largest", "final"] {
            #expect(drawn.contains(Real.printed("ch3.norms.\(key)", 3)), "ch3.norms.\(key) not drawn")
        }
    }

    /// The unembedding: the top token and its logit are the model's own logits' argmax and value;
    /// ‖h‖‖e‖cos θ gives the logit back; the figure draws the logit and prints ‖h‖ and ‖e‖ in its titles.
    @Test func chapter3UnembeddingIsTheModelsLogit() throws {
        let ids = try Self.ids(3, "prompt"), last = ids.count - 1, m = Real.bundle.model, C = m.config.width
        let logits = Array(m.forward(ids).logits.row(last)).map(Double.init)
        let order = logits.indices.sorted { logits[$0] > logits[$1] }
        #expect(Real.printed("ch3.unembed.top", 3) == Format.code(Real.bundle.tokenizer.displayText(order[0])))
        #expect(Real.printed("ch3.unembed.second", 3) == Format.code(Real.bundle.tokenizer.displayText(order[1])))
        expectPrinted(Real.printed("ch3.unembed.logit", 3), equals: logits[order[0]], "top logit")
        expectPrinted(Real.printed("ch3.unembed.secondLogit", 3), equals: logits[order[1]], "second logit")
        let wte = m.tensor("wte.weight")!.data
        expectPrinted(Real.printed("ch3.unembed.eNorm", 3), equals: Self.length((0..<C).map { Double(wte[order[0] * C + $0]) }), "‖e‖")
        #expect(Real.printed("ch3.unembed.vocabulary", 3) == String(m.config.vocabSize))
        let product = parse(Real.printed("ch3.unembed.hNorm", 3))! * parse(Real.printed("ch3.unembed.eNorm", 3))! * parse(Real.printed("ch3.unembed.cosine", 3))!
        #expect(abs(product - logits[order[0]]) < 0.01 * abs(logits[order[0]]), "‖h‖‖e‖cos θ = \(product), logit \(logits[order[0]])")
        let f = try Self.figure(3, "unembed"), drawn = Self.labels(f)
        #expect(drawn.contains(Real.printed("ch3.unembed.logit", 3)) && drawn.contains(Real.printed("ch3.unembed.secondLogit", 3)))
        #expect(drawn.contains { $0.contains("‖h‖ = \(Real.printed("ch3.unembed.hNorm", 3))") })
        #expect(drawn.contains { $0.contains("‖e‖ = \(Real.printed("ch3.unembed.eNorm", 3))") })
    }

    /// q·k of the second token's query and the first's key, by hand from LN1 and c_attn; divided
    /// by √d_k it is the score table's cell; the projection figure prints the same product.
    @Test func chapter5ProjectionByHand() throws {
        let ids = try Self.ids(5, "prompt"), m = Real.bundle.model, C = m.config.width, HS = m.config.headSize
        let wte = m.tensor("wte.weight")!.data, wpe = m.tensor("wpe.weight")!.data
        let w = m.tensor("h.0.attn.c_attn.weight")!.data, bias = m.tensor("h.0.attn.c_attn.bias")!.data
        func column(_ t: Int, _ col: Int) -> Double {
            let y = Self.layerNorm((0..<C).map { Double(wte[ids[t] * C + $0]) + Double(wpe[t * C + $0]) }, "h.0.ln_1").y
            return (0..<C).reduce(Double(bias[col])) { $0 + y[$1] * Double(w[$1 * 3 * C + col]) }
        }
        let dot = (0..<HS).reduce(0.0) { $0 + column(1, $1) * column(0, C + $1) }
        expectPrinted(Real.printed("ch5.projection.dot", 5), equals: dot, "q·k")
        let cell = String(Real.printed("ch5.rows[1].scoresLine", 5).split(separator: " ")[0])
        expectPrinted(cell, equals: dot / Double(HS).squareRoot(), "q·k/√d_k is the table's cell")
        #expect(Real.printed("ch5.projection.triple", 5) == String(3 * C) && Real.printed("ch5.projection.columns", 5) == "0–\(HS - 1)")
        let drawn = Self.labels(try Self.figure(5, "qkv"))
        #expect(drawn.contains { $0.hasSuffix("= \(Real.printed("ch5.projection.dot", 5))") }, "\(drawn)")
    }

    /// The √d_k section: Var(q·k) per head over the kept pairs of the scaling sentence, from the
    /// kernel's scores times √d_k (a second route to q·k), averaged over heads; the figure's bars print the same.
    @Test func chapter5ScalingFromTheScores() throws {
        let ids = try Self.ids(5, "scaling"), m = Real.bundle.model, HS = Double(m.config.headSize), T = ids.count
        let scores = m.forward(ids, trace: true).trace![TraceName.scoresUnmasked(layer: 0)]!
        var raw = 0.0, rawPeak = 0.0, scaledPeak = 0.0
        for h in 0..<m.config.heads {
            var dots: [Double] = []
            for i in 0..<T {
                let row = (0...i).map { Double(scores[h, i, $0]) * HS.squareRoot() }
                dots += row
                if i > 0 { rawPeak += softmax(row).max()!; scaledPeak += softmax(row.map { $0 / HS.squareRoot() }).max()! }
            }
            let mean = dots.reduce(0, +) / Double(dots.count)
            raw += dots.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(dots.count)
        }
        let H = Double(m.config.heads), rows = Double(T - 1)
        expectPrinted(Real.printed("ch5.scaling.rawVariance", 5), equals: raw / H, "Var(q·k)")
        expectPrinted(Real.printed("ch5.scaling.scaledVariance", 5), equals: raw / H / HS, "Var(q·k/√d_k)")
        expectPrinted(Real.printed("ch5.scaling.rawPeak", 5), equals: rawPeak / H / rows, "peak without the division")
        expectPrinted(Real.printed("ch5.scaling.scaledPeak", 5), equals: scaledPeak / H / rows, "peak with the division")
        #expect(Real.printed("ch5.scaling.pairs", 5) == String(T * (T + 1) / 2) && Real.printed("ch5.scaling.tokens", 5) == String(T))
        let drawn = Self.labels(try Self.figure(5, "scaling"))
        for key in ["rawVariance", "scaledVariance", "rawPeak", "scaledPeak"] {
            #expect(drawn.contains(Real.printed("ch5.scaling.\(key)", 5)), "ch5.scaling.\(key) not drawn")
        }
    }

    /// The positions caption names all three panels; the architecture text no longer claims box widths are dimensions.
    @Test func chapter3CaptionsSayWhatIsDrawn() throws {
        let zh = Real.lesson(3, .zh), en = Real.lesson(3, .en)
        #expect(zh.contains("中为正弦余弦表") && zh.contains("右为 RoPE"))
        #expect(en.contains("middle, the sinusoidal table") && en.contains("right, the $\\cos(p\\,\\theta_i)$"))
        #expect(!zh.contains("方框的宽度都是") && zh.contains("方框本身的大小不按比例"))
        #expect(en.contains("not drawn to scale"))
    }
}
