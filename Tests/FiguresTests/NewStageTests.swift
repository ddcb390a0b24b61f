import Foundation
import Testing
import TinyGPT
@testable import Figures

/// The stages of issue 10 (logit lens, key/value cache, MLP neurons): their numbers against
/// independent arithmetic, and their figures byte-identical on re-render. Labels inside the
/// canvas and glyph coverage are checked for every stage by `StageTests` and `StageTextTests`.
@Suite struct NewStageTests {
    static let newStages: [FigureStage] = [.logitLens, .kvCache, .kvCacheStep, .mlpActivations]

    @Test func rendersAreByteIdentical() throws {
        for stage in Self.newStages {
            try expectRendersByteIdentical(stage)
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

    // MARK: MLP neurons

    /// GELU, tanh form, as GPT-2 and `geluForward` use it, in Double.
    static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))) }

    /// Block `layer`'s 4C activations at one position by plain Double loops from the weights:
    /// GELU(LN₂(x)·W_fc + b_fc), x the stream after attention (`hook_resid_mid`).
    static func neuronsByHand(_ x: [Double], layer l: Int) -> [Double] {
        let model = Shipped.bundle.model, C = model.config.width, H = 4 * C
        let w = model.tensor("h.\(l).ln_2.weight")!.data, b = model.tensor("h.\(l).ln_2.bias")!.data
        let fc = model.tensor("h.\(l).mlp.c_fc.weight")!.data, fcb = model.tensor("h.\(l).mlp.c_fc.bias")!.data
        let mean = x.reduce(0, +) / Double(C)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(C)
        let y = (0..<C).map { (x[$0] - mean) / (variance + 1e-5).squareRoot() * Double(w[$0]) + Double(b[$0]) }
        return (0..<H).map { n in gelu((0..<C).reduce(Double(fcb[n])) { $0 + y[$1] * Double(fc[$1 * H + n]) }) }
    }

    /// The values the figure draws are GELU(LN₂(x)·W_fc + b_fc) recomputed by hand, for every
    /// neuron at two positions of two blocks; its strongest neurons are the largest on the
    /// prompt, and the caption quotes them.
    @Test func mlpActivationsMatchAnIndependentComputation() throws {
        let r = Shipped.renderer(.en)
        let ids = try Shipped.bundle.promptIDs(Shipped.typical)
        let trace = Shipped.bundle.model.forward(ids, trace: true).trace!
        for layer in [0, 2] {
            let p = try StageParameters(stage: .mlpActivations, values: ["layer": String(layer)])
            let d = try r.neuronFigureData(StageRequest(stage: .mlpActivations, prompt: Shipped.typical, parameters: p.values), p)
            #expect(d.layer == layer && d.tokens.count == ids.count && d.hidden == 256 && d.width == 64)
            for t in [0, ids.count - 1] {
                let x = trace[TraceName.residMid(layer: layer)]!.row(t).map(Double.init)
                let expected = Self.neuronsByHand(x, layer: layer)
                let worst = zip(d.activations[t], expected).map { abs($0 - $1) }.max()!
                #expect(worst < 1e-4, "block \(layer), position \(t): differs by \(worst)")
            }
            // The 6 neurons shown are the 6 largest peaks over the prompt, largest first.
            let peaks = (0..<256).map { n in (n, d.activations.map { $0[n] }.max()!) }.sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }
            #expect(d.neurons.map(\.index) == peaks.prefix(6).map(\.0))
            #expect(d.neurons.map(\.promptPeak) == peaks.prefix(6).map(\.1))
            let flat = d.activations.flatMap { $0 }
            #expect(d.positiveShare == Double(flat.filter { $0 > 0 }.count) / Double(flat.count))
            #expect(d.minimum == flat.min()! && d.minimum >= -0.1701)   // GELU is never below about −0.17
        }
        let f = try r.render(StageRequest(stage: .mlpActivations, prompt: Shipped.typical))[0]
        let d = try r.neuronFigureData(StageRequest(stage: .mlpActivations, prompt: Shipped.typical),
                                       try StageParameters(stage: .mlpActivations, values: [:]))
        #expect(d.layer == 1, "the default block")
        let first = d.neurons[0]
        for quoted in ["Block 1's MLP", "from 64 to 256", "\(Num.grouped(ids.count * 256)) activations", Num.percent(d.positiveShare),
                       Num.fixed(d.minimum, 3), "is \(first.index) (\(Num.fixed(first.promptPeak)) at \"\(first.promptToken)\")",
                       "\(Num.grouped(d.tokensScanned)) tokens", "\"\(first.top[0].token)\" (\(Num.fixed(first.top[0].activation)))"] {
            #expect(f.caption.contains(quoted), "caption lacks \(quoted): \(f.caption)")
        }
        let zh = StageFigures.mlpActivations(d, theme: .light, words: Words(language: .zh))
        #expect(zh.caption.contains("第 1 块的 MLP") && zh.caption.contains("神经元 \(first.index)") && zh.caption.contains(Num.percent(d.positiveShare)))
    }

    /// The scan's tokens are really each neuron's strongest over the text: on a tiny slice
    /// (windows of two lengths, so batching is exercised), every neuron's list equals the brute
    /// force over traced passes, one window at a time.
    @Test func neuronScanFindsTheArgmaxOverTheText() throws {
        let model = Shipped.bundle.model
        let text = "我爱机器学习。今天天气很好，我们一起去公园散步。人工智能是未来的发展方向。"
        let stream = Shipped.bundle.tokenizer.encode(text + text + "Python is fun.")
        let windows = [Array(stream.prefix(20)), Array(stream.dropFirst(20).prefix(20)), Array(stream.suffix(7))]
        let layer = 1, keep = 5
        let scan = NeuronScan(model: model, layer: layer, windows: windows, keep: keep, batch: 2)
        #expect(scan.tokensScanned == 47 && scan.top.count == 256)
        var all: [(neuron: Int, window: Int, position: Int, id: Int, value: Float)] = []
        for (w, window) in windows.enumerated() {
            let post = model.forward(window, trace: true).trace![TraceName.mlpPost(layer: layer)]!
            for t in window.indices { for n in 0..<256 { all.append((n, w, t, window[t], post.data[t * 256 + n])) } }
        }
        for n in 0..<256 {
            var best: [Int: (value: Float, window: Int, position: Int)] = [:]
            for a in all where a.neuron == n && a.value > (best[a.id]?.value ?? -.infinity) { best[a.id] = (a.value, a.window, a.position) }
            let expected = best.sorted { ($0.value.value, -$0.value.window, -$0.value.position) > ($1.value.value, -$1.value.window, -$1.value.position) }
                .prefix(keep)
            let got = scan.top[n]
            #expect(got.map(\.id) == expected.map(\.key), "neuron \(n)")
            for (g, e) in zip(got, expected) {
                #expect(abs(g.activation - e.value.value) < 1e-5 && g.window == e.value.window && g.position == e.value.position, "neuron \(n)")
            }
            // The first is the argmax over every position of the text.
            let argmax = all.filter { $0.neuron == n }.max { $0.value < $1.value }!
            #expect(abs(got[0].activation - argmax.value) < 1e-5 && got[0].id == argmax.id, "neuron \(n)")
        }
        #expect(scan.context(scan.top[0][0], before: 2).last == scan.top[0][0].id)
    }

    /// The figure's tokens are the scan's over the training split, evenly spaced windows of the
    /// context length; a bad `layer` or `neurons` names the range.
    @Test func neuronFigureUsesTheTrainingText() throws {
        let r = Shipped.renderer(.en)
        let p = try StageParameters(stage: .mlpActivations, values: [:])
        let d = try r.neuronFigureData(StageRequest(stage: .mlpActivations, prompt: "人工智能是"), p)
        let scan = try r.neuronScan(layer: 1)
        #expect(scan.windows.count == NeuronScan.standardWindows && scan.windows.allSatisfy { $0.count == 64 })
        #expect(d.tokensScanned == NeuronScan.standardWindows * 64)
        let stream = try r.trainingText().train
        #expect(scan.windows.first! == Array(stream.prefix(64)) && scan.windows.last! == Array(stream.suffix(64)))
        for n in d.neurons {
            #expect(n.top.map(\.token) == scan.top[n.index].prefix(4).map { Shipped.bundle.tokenizer.displayText($0.id) })
        }
        func message(_ values: [String: String]) -> String? {
            do { _ = try r.render(StageRequest(stage: .mlpActivations, prompt: "我", parameters: values)); return nil } catch { return error.message }
        }
        #expect(message(["layer": "4"]) == "stage mlpActivations: parameter layer = \"4\" is not valid: allowed an integer in 0...3")
        #expect(message(["neurons": "0"]) == "stage mlpActivations: parameter neurons = \"0\" is not valid: allowed an integer in 1...8")
        #expect(message(["head": "1"]) == "stage mlpActivations has no parameter \"head\": allowed: layer, neurons")
    }

    /// A full-context prompt with 8 neurons, both languages: every label inside the canvas and in the font.
    @Test(arguments: [Language.zh, .en]) func neuronFigureLabelsFit(language: Language) throws {
        let f = try Shipped.renderer(language).render(StageRequest(stage: .mlpActivations, prompt: Shipped.fullContext,
                                                                   parameters: ["layer": "0", "neurons": "8"]))[0]
        let problems = LabelProblems(f.drawing)
        #expect(problems.outside.isEmpty, "\(problems.outside.prefix(3))")
        #expect(problems.missingGlyphs.isEmpty, "no glyph for \(problems.missingGlyphs)")
        #expect(problems.overlaps.isEmpty, "\(problems.overlaps.prefix(3))")
    }

    /// The README's stage count follows the stages.
    @Test func readmeCountsTheStages() throws {
        let readme = try String(contentsOf: Shipped.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("lists the \(FigureStage.allCases.count) stages"))
    }
}
