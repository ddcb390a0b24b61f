import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TinyGPT
@testable import Figures

/// The stage figures drawn from the shipped model (committed, so every run sees the same weights).
enum Shipped {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelDirectory = root.appendingPathComponent("lessons/model")
    static let bundle: ModelBundle = try! ModelBundle.load(directory: modelDirectory)
    static let typical = "我爱机器学习"

    /// A prompt of exactly the model's context length in tokens.
    static let fullContext: String = {
        let T = bundle.model.config.contextLength
        var text = ""
        let pieces = ["我爱机器学习。", "今天天气很好，", "人工智能是未来的发展方向。", "我们一起去公园散步。"]
        var i = 0
        while bundle.tokenizer.encode(text + pieces[i % pieces.count]).count <= T { text += pieces[i % pieces.count]; i += 1 }
        for ch in pieces[i % pieces.count] where bundle.tokenizer.encode(text + String(ch)).count <= T { text.append(ch) }
        precondition(bundle.tokenizer.encode(text).count == T, "could not build a \(T)-token prompt")
        return text
    }()

    static func renderer(_ language: Language = .zh, theme: Theme = .light, experiments: ExperimentResults = ExperimentResults())
        -> StageRenderer
    {
        StageRenderer(bundle: bundle, experiments: experiments, language: language, theme: theme)
    }

    /// Stages whose result file may not exist yet (made by `gptx experiment`).
    static let experimentStages: Set<FigureStage> = [.scalingLaw, .fineTuneShift]

    /// A small fake experiment result, so the experiment stages are drawn in tests too.
    static let fakeExperiments: ExperimentResults = {
        let V = bundle.model.config.vocabSize
        var before = [Float](repeating: 0.5 / Float(V - 2), count: V), after = before
        before[300] = 0.3; before[301] = 0.2; after[300] = 0.05; after[301] = 0.45
        return ExperimentResults(
            scaling: ScalingResult(points: [
                ScalingPoint(layers: 1, heads: 2, width: 32, parameters: 40_000, steps: 300, trainLoss: 2.1, valLoss: 2.3),
                ScalingPoint(layers: 2, heads: 2, width: 48, parameters: 90_000, steps: 300, trainLoss: 1.7, valLoss: 1.9),
                ScalingPoint(layers: 4, heads: 4, width: 64, parameters: 270_000, steps: 300, trainLoss: 1.3, valLoss: 1.5),
            ], slope: -0.2, intercept: 1.3, batchSize: 16, contextLength: 64, learningRate: 3e-3, seed: 1),
            fineTune: FineTuneResult(prompt: "问：", promptIDs: [5], documents: ["问：答："], steps: 20, learningRate: 1e-3,
                                     losses: [2, 1], before: before, after: after, beforeText: "甲", afterText: "乙", batchSize: 8))
    }()
}

@Suite struct StageTests {
    /// Every stage, for prompts of 1 token, a typical one and a full context: no error, every
    /// label inside the page, a title, a caption and alt text.
    @Test(arguments: [("我", false), (Shipped.typical, false), (Shipped.fullContext, true)])
    func everyStageRendersWithLabelsInside(prompt: String, encode: Bool) throws {
        let r = Shipped.renderer(experiments: Shipped.fakeExperiments)
        for stage in FigureStage.allCases {
            let figures = try r.render(StageRequest(stage: stage, prompt: prompt))
            #expect(!figures.isEmpty, "\(stage)")
            for f in figures {
                let outside = f.drawing.labelBounds().filter { !f.drawing.bounds.contains($0.bounds, tolerance: 0.5) }
                #expect(outside.isEmpty, "\(f.name) (\(prompt.count) chars): labels outside the page: \(outside.map { "\($0.label.text) \($0.bounds)" }.prefix(3))")
                #expect(!f.drawing.title.isEmpty && !f.caption.isEmpty && !f.alt.isEmpty, "\(f.name)")
                #expect(f.drawing.description == f.alt)
                if encode { _ = try f.drawing.png(scale: 1) }
            }
        }
    }

    /// English figures exist for every stage and say nothing in Chinese beyond token labels.
    @Test func englishCaptions() throws {
        let r = Shipped.renderer(.en, experiments: Shipped.fakeExperiments)
        let f = try r.render(StageRequest(stage: .attentionScores, prompt: "the cat sat"))[0]
        #expect(f.caption.hasPrefix("Layer 0, head 0"))
        #expect(f.drawing.title.hasPrefix("Masked self-attention"))
    }

    /// Two sessions, same request: the same PNG and SVG bytes.
    @Test func rendersAreByteIdentical() throws {
        for stage in [FigureStage.attentionScores, .beamTree, .headPatterns, .embeddingPCA] {
            let a = try Shipped.renderer().render(StageRequest(stage: stage, prompt: Shipped.typical))[0].drawing
            let b = try Shipped.renderer().render(StageRequest(stage: stage, prompt: Shipped.typical))[0].drawing
            #expect(a == b, "\(stage): drawings differ")
            #expect(try a.png(scale: 1) == b.png(scale: 1), "\(stage): PNG bytes differ")
            #expect(try a.svg() == b.svg(), "\(stage): SVG bytes differ")
        }
    }

    /// SVG output parses as XML, has a viewBox, and carries the title and alt text.
    @Test func svgIsWellFormed() throws {
        let f = try Shipped.renderer().render(StageRequest(stage: .maskMatrix, prompt: Shipped.typical))[0]
        let svg = try f.drawing.svg()
        final class Root: NSObject, XMLParserDelegate {
            var attributes: [String: String]?
            var elements: Set<String> = []
            var title = ""
            var inTitle = false
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String]) {
                if self.attributes == nil { self.attributes = attributes }
                elements.insert(name)
                inTitle = name == "title"
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inTitle { title += s } }
            func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { inTitle = false }
        }
        let parser = XMLParser(data: svg)
        let root = Root()
        parser.delegate = root
        #expect(parser.parse(), "SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(root.attributes?["viewBox"] != nil)
        #expect(root.elements.contains("desc"))
        #expect(root.title == f.drawing.title)
    }

    /// The session runs each prompt's forward pass once, whatever the number of stages.
    @Test func traceIsMemoised() throws {
        let r = Shipped.renderer()
        let ids = try Shipped.bundle.promptIDs(Shipped.typical)
        let a = r.trace(ids), b = r.trace(ids)
        #expect(a.tensors[TraceName.logits] == b.tensors[TraceName.logits])
        _ = try r.render(StageRequest(stage: .headPatterns, prompt: Shipped.typical))
        #expect(r.traceCount == 1)
    }

    @Test func walkthroughFrames() throws {
        let r = Shipped.renderer()
        let all = try r.render(StageRequest(stage: .tokenTrip, prompt: Shipped.typical))
        #expect(all.map(\.name) == (1...8).map { "tokenTrip-0\($0)" })
        let one = try r.render(StageRequest(stage: .maskedAttentionStep, prompt: Shipped.typical, parameters: ["frame": "2", "frames": "4"]))
        #expect(one.count == 1 && one[0].name == "maskedAttentionStep-02")
        let beam = try r.render(StageRequest(stage: .generationStep, prompt: "人工智能是",
                                             options: GenerationOptions(strategy: .beam, beamWidth: 3, maxTokens: 4)))
        #expect(beam.count == 4)
    }
}

@Suite struct StageNameTests {
    /// Every stage has one kebab-case name, distinct from the others, and both it and the
    /// camelCase raw value find the stage; anything else finds none.
    @Test func kebabCaseNamesRoundTrip() {
        let names = FigureStage.allCases.map(\.cliName)
        #expect(Set(names).count == names.count)
        for stage in FigureStage.allCases {
            #expect(stage.cliName.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(stage.cliName)")
            #expect(stage.cliName.replacingOccurrences(of: "-", with: "") == stage.rawValue.lowercased())
            #expect(FigureStage(name: stage.cliName) == stage && FigureStage(name: stage.rawValue) == stage)
        }
        #expect(FigureStage.nextTokenBars.cliName == "next-token-bars")
        #expect(FigureStage.embeddingPCA.cliName == "embedding-pca")
        #expect(FigureStage.topKTopP.cliName == "top-k-top-p")
        #expect(FigureStage(name: "Next-Token-Bars") == nil && FigureStage(name: "next_token_bars") == nil)
    }
}

@Suite struct StageInputTests {
    func message(_ request: StageRequest, experiments: ExperimentResults = ExperimentResults()) -> String? {
        do {
            _ = try Shipped.renderer(experiments: experiments).render(request)
            return nil
        } catch { return error.message }
    }

    @Test func unknownParameterListsAllowed() {
        let m = message(StageRequest(stage: .attentionScores, prompt: "我", parameters: ["colour": "red"]))
        #expect(m == "stage attentionScores has no parameter \"colour\": allowed: head, layer")
        #expect(message(StageRequest(stage: .precision, prompt: "我", parameters: ["x": "1"]))?.hasSuffix("it takes no parameters") == true)
    }

    @Test func badValueNamesRange() {
        let m = message(StageRequest(stage: .attentionScores, prompt: "我", parameters: ["layer": "9"]))
        #expect(m == "stage attentionScores: parameter layer = \"9\" is not valid: allowed an integer in 0...3")
        #expect(message(StageRequest(stage: .temperature, prompt: "我", parameters: ["temperatures": "0.5,x"]))?.contains("comma-separated") == true)
        #expect(message(StageRequest(stage: .maskMatrix, prompt: "", parameters: ["kind": "diagonal"]))?.contains("causal, bidirectional, cross") == true)
    }

    @Test func emptyAndTooLongPrompts() {
        #expect(message(StageRequest(stage: .tokenization, prompt: ""))?.contains("empty") == true)
        let long = String(repeating: Shipped.fullContext, count: 2)
        #expect(message(StageRequest(stage: .attentionScores, prompt: long))?.contains("context is 64 tokens") == true)
        // Stages that draw no run do not need a prompt.
        #expect(message(StageRequest(stage: .lossCurve)) == nil)
        #expect(message(StageRequest(stage: .maskMatrix)) == nil)
    }

    @Test func missingExperimentNamesFileAndCommand() {
        let scaling = message(StageRequest(stage: .scalingLaw))
        #expect(scaling?.contains("experiments/scaling.json is missing") == true)
        #expect(scaling?.contains("gptx experiment scaling") == true)
        let fineTune = message(StageRequest(stage: .fineTuneShift, prompt: "我"))
        #expect(fineTune?.contains("experiments/finetune.json is missing") == true)
        #expect(fineTune?.contains("gptx experiment finetune") == true)
        #expect(message(StageRequest(stage: .scalingLaw), experiments: Shipped.fakeExperiments) == nil)
    }

    @Test func shortWindowIsRefused() {
        #expect(message(StageRequest(stage: .crossEntropy, prompt: "我", window: [258]))?.contains("needs at least 2 tokens") == true)
        #expect(message(StageRequest(stage: .crossEntropy, prompt: "我", window: [258, 312, 666])) == nil)
    }
}

@Suite struct StageMathTests {
    /// Our bit-level FP16 rounding agrees with the hardware/stdlib conversion everywhere we probe.
    @Test func fp16MatchesFloat16() {
        var rng = SplitMix64(seed: 9)
        var probes: [Float] = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e-8, 5.96e-8, 2.98e-8, 2.99e-8, 6.1e-5, 6.09e-5, .infinity,
                               Float(bitPattern: 0x3380_0000), Float(bitPattern: 0x3380_0001), Float(bitPattern: 0x3880_1000)]
        for _ in 0..<20_000 {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let x = Float(bitPattern: bits)
            if x.isFinite { probes.append(x) }
        }
        for w in Shipped.bundle.model.parameters.prefix(20_000) { probes.append(w) }
        for x in probes {
            let ours = HalfPrecision.fp16(x), theirs = Float(Float16(x))
            #expect(ours.bitPattern == theirs.bitPattern, "fp16(\(x)) = \(ours), Float16 gives \(theirs)")
            if ours.bitPattern != theirs.bitPattern { return }
        }
    }

    @Test func bf16RoundsToNearestEven() {
        #expect(HalfPrecision.bf16(Float(bitPattern: 0x3F80_8000)).bitPattern == 0x3F80_0000)  // tie, even stays
        #expect(HalfPrecision.bf16(Float(bitPattern: 0x3F81_8000)).bitPattern == 0x3F82_0000)  // tie, odd rounds up
        #expect(HalfPrecision.bf16(Float(bitPattern: 0x3F80_8001)).bitPattern == 0x3F81_0000)
        #expect(HalfPrecision.bf16(.nan).isNaN)
    }

    /// PCA finds the direction of largest spread, with a fixed sign.
    @Test func pcaRecoversTheMainAxis() {
        let rows = (0..<50).map { i -> [Double] in
            let t = Double(i - 25)
            return [3 * t, -3 * t + (i % 2 == 0 ? 0.5 : -0.5), 0.1 * Double(i % 3)]
        }
        let pca = PCA(rows: rows)
        let c = pca.components[0]
        #expect(abs(abs(c[0]) - 0.7071) < 0.01 && abs(abs(c[1]) - 0.7071) < 0.01)
        #expect(c.max { abs($0) < abs($1) }! > 0)
        #expect(pca.explained[0] > 0.99)
    }

    @Test func clipThresholdFromLog() {
        let log = [2.0, 1.4, 1.01, 0.99, 0.5].enumerated().map { i, n in
            TrainLogEntry(step: i + 1, trainLoss: 1, valLoss: nil, learningRate: 1e-3, gradNorm: Float(n), clipped: n > 1)
        }
        #expect(StageFigures.inferClip(log) == 1)
        #expect(StageFigures.inferClip(Array(log.suffix(2))) == nil)
    }
}

@Suite struct StageTextTests {
    /// Every character of every label is in the figure font: no tofu boxes (subscripts such as
    /// ₁ or ᵢ are not in Noto Sans CJK, so figures write them as _1, _i).
    @Test(arguments: [Language.zh, .en])
    func everyLabelIsCoveredByTheFont(language: Language) throws {
        var known: [Unicode.Scalar: Bool] = [:]
        func covered(_ s: Unicode.Scalar) -> Bool {
            if let k = known[s] { return k }
            let ok = (try? FontLibrary.locate(family: FontLibrary.family, weight: .regular, sample: String(s))) != nil
            known[s] = ok
            return ok
        }
        let r = Shipped.renderer(language, experiments: Shipped.fakeExperiments)
        for stage in FigureStage.allCases {
            for f in try r.render(StageRequest(stage: stage, prompt: Shipped.typical)) {
                let missing = Set(f.drawing.labelBounds().flatMap { $0.label.text.unicodeScalars.filter { !covered($0) } })
                #expect(missing.isEmpty, "\(f.name): no glyph for \(missing.map { "U+" + String($0.value, radix: 16, uppercase: true) })")
            }
        }
    }
}

extension StageTextTests {
    /// Token labels come from `Tokenizer.displayText`: every token of the shipped vocabulary, and
    /// the whitespace marks for tab and carriage return, must have glyphs too.
    @Test func everyTokenLabelIsCoveredByTheFont() throws {
        let tokenizer = Shipped.bundle.tokenizer
        var ids = Array(0..<tokenizer.vocabSize)
        ids += tokenizer.encode("a\tb\r\nc")
        var missing: Set<String> = []
        var known: [Unicode.Scalar: Bool] = [:]
        for id in ids {
            for s in tokenizer.displayText(id).unicodeScalars {
                let ok = known[s] ?? ((try? FontLibrary.locate(family: FontLibrary.family, weight: .regular, sample: String(s))) != nil)
                known[s] = ok
                if !ok { missing.insert("id \(id): U+" + String(s.value, radix: 16, uppercase: true)) }
            }
        }
        #expect(missing.isEmpty, "\(missing.sorted())")
    }
}

/// Stage figures from the shipped model compared with committed PNGs in `Golden/` (regenerate
/// with `GPTX_UPDATE_GOLDENS=1 swift test --filter FiguresTests.StageGoldenTests`, look at
/// them, commit).
@Suite struct StageGoldenTests {
    static let cases: [(String, StageRequest)] = [
        ("stage-attentionScores", StageRequest(stage: .attentionScores, prompt: Shipped.typical)),
        ("stage-nextTokenBars", StageRequest(stage: .nextTokenBars, prompt: "我今天很")),
        ("stage-maskComparison", StageRequest(stage: .maskComparison, prompt: Shipped.typical)),
        ("stage-lossCurve", StageRequest(stage: .lossCurve)),
    ]

    @Test(arguments: cases.map(\.0))
    func matchesGolden(name: String) throws {
        let request = Self.cases.first { $0.0 == name }!.1
        let png = try Shipped.renderer().render(request)[0].drawing.png(scale: 1)
        let url = GoldenTests.directory.appendingPathComponent("\(name).png")
        if ProcessInfo.processInfo.environment["GPTX_UPDATE_GOLDENS"] == "1" {
            try png.write(to: url)
            return
        }
        let expected = try Bitmap(png: Data(contentsOf: url)), actual = try Bitmap(png: png)
        #expect(actual.width == expected.width && actual.height == expected.height)
        guard actual.width == expected.width, actual.height == expected.height else { return }
        let differing = GoldenTests.differingPixels(actual, expected, channelTolerance: 24)
        #expect(Double(differing) <= 0.002 * Double(actual.pixels.count), "\(name): \(differing) pixels differ from Golden/\(name).png")
    }

    /// The comparison catches a real change: another head of the same prompt is not the golden.
    @Test func otherHeadDiffers() throws {
        let other = try Shipped.renderer().render(StageRequest(stage: .attentionScores, prompt: Shipped.typical, parameters: ["head": "1"]))[0]
        let expected = try Bitmap(png: Data(contentsOf: GoldenTests.directory.appendingPathComponent("stage-attentionScores.png")))
        let actual = try Bitmap(png: other.drawing.png(scale: 1))
        #expect(GoldenTests.differingPixels(actual, expected, channelTolerance: 24) > Int(0.002 * Double(actual.pixels.count)))
    }
}
