import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TinyGPT
@testable import Figures

/// Walkthrough stages: the data decides the frame count, each frame's text is its own.
@Suite struct WalkthroughTests {
    static let prompts = ["我", Shipped.typical, Shipped.fullContext]
    static let stages: [FigureStage] = [.tokenTrip, .maskedAttentionStep, .multiHeadStep, .generationStep, .tokenMerges, .softmaxStep, .embeddingPositionStep, .headOutputStep, .wholeStep]

    func frames(_ stage: FigureStage, _ prompt: String, _ language: Language, parameters: [String: String] = [:]) throws -> [StageFigure] {
        let options = stage == .generationStep ? GenerationOptions(strategy: .greedy, maxTokens: 4)
            : stage == .wholeStep ? GenerationOptions(strategy: .sample, temperature: 1, topP: 0.9, maxTokens: 1, seed: 7) : nil
        return try Shipped.renderer(language).render(StageRequest(stage: stage, prompt: prompt, options: options, parameters: parameters))
    }

    /// How many frames the prompt implies, from the model's shape and the prompt alone.
    func expectedCount(_ stage: FigureStage, _ prompt: String, cap: Int? = nil) throws -> Int {
        let c = Shipped.bundle.model.config, n = try Shipped.bundle.promptIDs(prompt).count
        let data: Int
        switch stage {
        case .tokenTrip: data = 3 + c.layers + 1
        case .maskedAttentionStep: data = min(n, cap ?? 8)
        case .multiHeadStep: data = c.heads + 1
        case .tokenMerges: data = min(64, 1 + mergeCount(prompt))
        case .softmaxStep: data = 4
        case .embeddingPositionStep: data = min(n, cap ?? 8)
        case .headOutputStep: data = c.heads + 2
        case .wholeStep: data = c.layers + 6
        default: data = min(4, c.contextLength - n)   // an upper bound: end-of-text may come earlier
        }
        return min(data, cap ?? data)
    }

    /// Merges `encode` makes, counted without `mergeSteps`: within each chunk (the pre-tokenizer's
    /// split), the distinct ranks the greedy lowest-rank-first loop applies; one frame per rank
    /// applied anywhere.
    func mergeCount(_ prompt: String) -> Int {
        let tok = Shipped.bundle.tokenizer
        var ranks: Set<Int> = []
        let scalars = Array(prompt.unicodeScalars)
        for chunk in Pretokenizer.split(scalars) where chunk.kind != .endOfText {
            var ids = tok.initialIDs(Array(scalars[chunk.range]))
            while true {
                let pairs = zip(ids, ids.dropFirst()).compactMap { a, b in tok.merges.firstIndex { $0.left == a && $0.right == b } }
                guard let r = pairs.min() else { break }
                ranks.insert(r)
                let m = tok.merges[r]
                var out: [Int] = [], i = 0
                while i < ids.count {
                    if i + 1 < ids.count && ids[i] == m.left && ids[i + 1] == m.right { out.append(m.result); i += 2 } else { out.append(ids[i]); i += 1 }
                }
                ids = out
            }
        }
        return ranks.count
    }

    /// Each tokenization frame names its merge's rank and the token count after it; the last is `encode`.
    @Test(arguments: prompts + ["hello world, 我爱机器学习 and Python"])
    func tokenMergeCaptionsCarryTheirMerge(prompt: String) throws {
        let tok = Shipped.bundle.tokenizer
        let steps = tok.mergeSteps(prompt).steps
        let all = try frames(.tokenMerges, prompt, .en)
        #expect(all[0].caption.hasPrefix("Start: \"\(prompt)\" splits into \(tok.mergeSteps(prompt).start.count) character tokens"))
        guard all.count > 1 else { #expect(steps.isEmpty); return }
        let ranks = all.dropFirst().map { f in Int(f.caption.split(separator: " ")[4])! }
        #expect(ranks == ranks.sorted() && Set(ranks).count == ranks.count)
        for (f, r) in zip(all.dropFirst(), ranks) {
            let s = steps.first { $0.rank == r }!
            #expect(f.caption.contains("→ \"\(tok.displayText(s.merge.result))\" (id \(s.merge.result))"), "\(f.caption)")
            #expect(f.caption.contains("now \(s.ids.count) tokens"), "\(f.caption)")
        }
        #expect(all.last!.caption.hasSuffix("this is what encode returns."))
        #expect(steps.last!.ids == tok.encode(prompt))
    }

    /// Softmax frames carry their own stage's numbers, read here straight from the trace, and the
    /// weights they end at are `hook_pattern`'s row.
    @Test(arguments: prompts)
    func softmaxFramesEndAtThePattern(prompt: String) throws {
        let ids = try Shipped.bundle.promptIDs(prompt), n = ids.count
        let t = Shipped.renderer().trace(ids)
        for (layer, head) in [(0, 0), (2, 3)] {
            let row = (n - 1) / 2
            let at = { (name: String, k: Int) in Double(t[name]!.data[(head * n + row) * n + k]) }   // [head, query, key]
            let raw = (0..<n).map { at(TraceName.scoresUnmasked(layer: layer), $0) }
            let scores = (0...row).map { at(TraceName.scores(layer: layer), $0) }
            let pattern = (0..<n).map { at(TraceName.pattern(layer: layer), $0) }
            let z = scores.map { exp($0 - scores.max()!) }.reduce(0, +)
            let all = try frames(.softmaxStep, prompt, .en, parameters: ["layer": String(layer), "head": String(head)])
            #expect(all.count == 4)
            #expect(all[0].caption.contains("highest is") && all[0].caption.contains("(\(Num.fixed(raw.max()!)))."), "\(all[0].caption)")
            #expect(all[1].caption.contains(n - row - 1 == 0 ? "all \(n) scores stay" : "the \(n - row - 1) keys after position \(row) become −∞"), "\(all[1].caption)")
            #expect(all[2].caption.contains("sum to Z = \(Num.fixed(z, 3))"), "\(all[2].caption)")
            #expect(all[3].caption.contains("gets \(Num.percent(pattern.max()!))"), "\(all[3].caption)")
            let steps = Shipped.renderer().softmaxSteps(ids, layer: layer, head: head, row: row)
            #expect(zip(steps.weights, pattern).allSatisfy { abs($0 - $1) <= 1e-5 })
            #expect(abs(steps.weights.reduce(0, +) - 1) <= 1e-9)
        }
    }

    /// W_E row + W_pos row, summed from the weights, is the trace's resid_pre (and its parts are
    /// hook_embed and hook_pos_embed); each caption quotes its own position's lengths.
    @Test(arguments: prompts)
    func embeddingSumIsResidPre(prompt: String) throws {
        let ids = try Shipped.bundle.promptIDs(prompt), n = ids.count
        let t = Shipped.renderer().trace(ids)
        let sums = try Shipped.renderer().embeddingSums(ids)
        #expect(sums.count == n)
        func close(_ a: [Double], _ b: ArraySlice<Float>) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - Double($1)) <= 1e-5 } }
        for s in sums {
            #expect(close(s.tokenRow, t[TraceName.embed]!.row(s.position)))
            #expect(close(s.positionRow, t[TraceName.posEmbed]!.row(s.position)))
            #expect(close(s.sum, t[TraceName.residPre(layer: 0)]!.row(s.position)))
        }
        let all = try frames(.embeddingPositionStep, prompt, .en)
        for f in all {
            let p = Int(f.caption.split(separator: " at position ")[1].prefix { $0.isNumber })!
            let x = t[TraceName.residPre(layer: 0)]!.row(p)
            let norm = (x.reduce(0) { $0 + Double($1) * Double($1) }).squareRoot()
            #expect(f.caption.contains("their sum x_\(p) \(Num.fixed(norm))") && f.caption.contains("(id \(ids[p]))"), "\(f.caption)")
            #expect(f.caption.contains("= \(Num.fixed(Double(x[x.startIndex]), 3))."), "\(f.caption)")
        }
        #expect(all.last!.caption.contains("at position \(n - 1)"))
    }

    /// The concatenated heads times W^O plus b, as the stage computes them, are hook_attn_out; each
    /// head frame quotes its own ‖z_h‖ of the last token, read from hook_z.
    @Test(arguments: prompts)
    func headOutputsEndAtAttnOut(prompt: String) throws {
        let ids = try Shipped.bundle.promptIDs(prompt), n = ids.count, c = Shipped.bundle.model.config
        for layer in [0, c.layers - 1] {
            let t = Shipped.renderer().trace(ids)
            let (o, _) = Shipped.renderer().headOutputs(ids, layer: layer)
            let out = t[TraceName.attnOut(layer: layer)]!
            #expect((0..<n).allSatisfy { p in (0..<c.width).allSatisfy { abs(o.output[p][$0] - Double(out[p, $0])) <= 1e-5 } })
            let all = try frames(.headOutputStep, prompt, .en, parameters: ["layer": String(layer)])
            let z = t[TraceName.z(layer: layer)]!
            for h in 0..<c.heads {
                let norm = ((0..<c.headSize).reduce(0.0) { $0 + Double(z[n - 1, h, $1]) * Double(z[n - 1, h, $1]) }).squareRoot()
                #expect(all[h].caption.hasPrefix("Head \(h)'s output") && all[h].caption.contains("‖z_\(h)‖ = \(Num.fixed(norm))"), "\(all[h].caption)")
            }
            let y = out.row(n - 1).map(Double.init)
            #expect(all.last!.caption.contains("length \(Num.fixed((y.reduce(0) { $0 + $1 * $1 }).squareRoot())), dimension 0 is \(Num.fixed(y[0], 3))"), "\(all.last!.caption)")
        }
    }

    /// Whole-step: the logits and probability frames quote the trace's last row, and the choice is the
    /// token the decoder itself returns for those options (greedy, top-p sampling, beam).
    @Test(arguments: prompts)
    func wholeStepEndsAtTheDecodersChoice(prompt: String) throws {
        let bundle = Shipped.bundle, T = bundle.model.config.contextLength, L = bundle.model.config.layers
        let ids = Array(try bundle.promptIDs(prompt).suffix(T - 1))
        let t = Shipped.renderer().trace(ids)
        let logits = t[TraceName.logits]!.row(ids.count - 1).map(Double.init)
        let probs = t[TraceName.probs]!.row(ids.count - 1).map(Double.init)
        for o in [GenerationOptions(strategy: .greedy, maxTokens: 1), GenerationOptions(strategy: .sample, temperature: 1, topP: 0.9, maxTokens: 1, seed: 3),
                  GenerationOptions(strategy: .beam, beamWidth: 3, maxTokens: 3)] {
            let all = try Shipped.renderer(.en).render(StageRequest(stage: .wholeStep, prompt: prompt, options: o))
            #expect(all.count == L + 6)
            let chosen = try bundle.model.generate(prompt: ids, options: o, endOfText: bundle.tokenizer.endOfTextID).ids[0]
            let name = bundle.tokenizer.displayText(chosen)
            #expect(all.last!.caption.contains(o.strategy == .beam ? "starts with \"\(name)\"" : "picks \"\(name)\""), "\(all.last!.caption)")
            #expect(all[L + 3].caption.contains("to \(Num.fixed(logits.max()!)); the highest is"), "\(all[L + 3].caption)")
            if o.strategy != .sample {   // T = 1: the trace's own softmax
                #expect(all[L + 4].caption.contains(Num.percent(probs.max()!)), "\(all[L + 4].caption)")
            }
        }
    }

    @Test(arguments: prompts)
    func frameCountFollowsTheData(prompt: String) throws {
        for stage in Self.stages where !(stage == .generationStep && prompt == Shipped.fullContext) {
            for language in [Language.zh, .en] {
                let all = try frames(stage, prompt, language)
                let expected = try expectedCount(stage, prompt)
                if stage == .generationStep { #expect((1...expected).contains(all.count)) }
                else { #expect(all.count == expected, "\(stage) \(prompt.prefix(8)) \(language)") }
                #expect(Set(all.map(\.caption)).count == all.count, "\(stage) \(language): two frames share a caption")
                #expect(Set(all.map(\.alt)).count == all.count, "\(stage) \(language): two frames share alt text")
            }
        }
    }

    /// The bug of issue 8: a 4-token prompt with `frames` 5 gave 5 frames, the last repeating row 4.
    @Test func framesParameterIsOnlyACap() throws {
        let n = try Shipped.bundle.promptIDs(Shipped.typical).count
        #expect(try frames(.maskedAttentionStep, Shipped.typical, .en, parameters: ["frames": String(n + 1)]).count == n)
        #expect(try frames(.maskedAttentionStep, Shipped.typical, .en, parameters: ["frames": "2"]).count == 2)
        #expect(try frames(.maskedAttentionStep, Shipped.typical, .en, parameters: ["frames": "2", "frame": "2"]).map(\.name) == ["maskedAttentionStep-02"])
    }

    /// Each masked-attention caption names its own row and that row's largest weight, read from the trace.
    @Test(arguments: prompts)
    func maskedAttentionCaptionsCarryTheirRow(prompt: String) throws {
        let ids = try Shipped.bundle.promptIDs(prompt), n = ids.count
        let pattern = Shipped.renderer().trace(ids)[TraceName.pattern(layer: 0)]!
        var last = 0
        for f in try frames(.maskedAttentionStep, prompt, .en) {
            let row = Int(f.caption.split(separator: " ")[1].dropLast())!
            #expect(row > last && row <= n)
            last = row
            let weights = (0..<row).map { Double(pattern.data[(row - 1) * n + $0]) }   // head 0: [head, query, key]
            #expect(f.caption.contains(Num.percent(weights.max()!)), "\(f.caption)")
            #expect(f.caption.contains("\(n - row) of"))
        }
        #expect(last == n)
    }

    /// The multi-head caption says what it measured: this prompt's rows from position 2 on.
    @Test func multiHeadCaptionNamesItsRows() throws {
        let n = try Shipped.bundle.promptIDs(Shipped.typical).count
        let all = try frames(.multiHeadStep, Shipped.typical, .en)
        for f in all.dropLast() {
            #expect(f.caption.contains("positions 2…\(n - 1) only (\(n - 2) rows)"), "\(f.caption)")
        }
        for f in try frames(.multiHeadStep, "我", .en).dropLast() { #expect(f.caption.contains("no preference is measured")) }
    }

    @Test func rerenderIsByteIdentical() throws {
        for stage in Self.stages {
            let a = try frames(stage, Shipped.typical, .zh).map { try $0.drawing.svg() }
            let b = try frames(stage, Shipped.typical, .zh).map { try $0.drawing.svg() }
            #expect(a == b, "\(stage)")
        }
    }

    /// A prompt that looks like markup stays text: every frame's SVG parses, and its title and desc
    /// read back as the drawing's own strings.
    @Test(arguments: ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>"])
    func hostilePromptStaysText(prompt: String) throws {
        final class Reader: NSObject, XMLParserDelegate {
            var text: [String: String] = [:]
            var current: String?
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                current = name == "title" || name == "desc" ? name : nil
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { if let c = current { text[c, default: ""] += s } }
            func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { current = nil }
        }
        var sawMarkup = false
        for stage in Self.stages {
            for f in try frames(stage, prompt, .en) {
                let parser = XMLParser(data: try f.drawing.svg())
                let reader = Reader()
                parser.delegate = reader
                #expect(parser.parse(), "\(stage) \(f.name): SVG does not parse")
                #expect(reader.text["title"] == f.drawing.title)
                #expect(reader.text["desc"] == f.drawing.description)
                sawMarkup = sawMarkup || (f.drawing.description + f.drawing.title + f.caption).contains("<")
            }
        }
        #expect(sawMarkup, "no frame carried the prompt's '<' (the test would prove nothing)")
    }
}
