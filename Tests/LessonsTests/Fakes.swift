import Foundation
import TinyGPT
import Figures
@testable import Lessons

/// A deterministic stand-in for the real model run: fixed dimensions, one token per character,
/// values that fill every key of `RunValues`.
struct FakeRun: LessonRun {
    var facts = ModelFacts(config: GPTConfig(vocabSize: 512, contextLength: 64, layers: 2, heads: 4, width: 64), parameterCount: 123_456)

    func tokenCount(_ prompt: String) throws(UserError) -> Int { prompt.count }

    func values(config: LessonConfig) throws(UserError) -> RunValues {
        let fakeConfig = GPTConfig(vocabSize: 512, contextLength: 64, layers: 2, heads: 4, width: 64)
        func tp(_ r: Int) -> TokenProb { TokenProb(rank: r, token: Format.code("t\(r)"), id: r, prob: Format.prob(0.5 / Double(r)), percent: Format.percent(0.5 / Double(r))) }
        let dist = Distribution(prompt: Format.code("今天天气"), top: (1...3).map(tp), top1: tp(1), k: 3, topMass: Format.percent(0.9))
        let cont = Continuation(prompt: Format.code("p"), continuation: Format.code("q"), block: Format.block("p q"), newTokens: 2)
        let step = TokenStep(step: 1, token: Format.code("a"), prob: "0.500", logProb: Format.fixed(log(0.5)))
        let ft = Chapter2Values.FineTune(prompt: Format.code("问"), target: Format.code("蓝"), steps: 10, examples: 4, before: "0.010", after: "0.600",
                                         beforeTop1: tp(1), afterTop1: tp(2), rose: true)
        let head = Chapter6Values.Head(layer: 0, head: 1, previous: "0.800", first: "0.100", selfWeight: "0.050", entropy: "0.400",
                                       isPrevious: true, isFirst: false, isSelf: false, isDiffuse: false, isMixed: false)
        let cut = Chapter7Values.Cut(parameter: "5", kept: 5, keptMass: "80.0%", drawn: Format.code("b"), drawnProb: "0.300", seed: "7")
        return RunValues(
            ch1: Chapter1Values(next: dist),
            ch2: Chapter2Values(window: .init(text: Format.code("我爱"), length: 2, pairs: [.init(position: 0, input: Format.code("我"), target: Format.code("爱"))]),
                                loss: .init(steps: 100, first: "6.200", last: "2.100", lastVal: nil, uniform: Format.fixed(log(512))), fineTune: ft,
                                snapshots: .init(prompt: Format.code("我很"), split: [.init(token: Format.code("好"), share: "60.0%"), .init(token: Format.code("累"), share: "40.0%")],
                                                 occurrences: 5,
                                                 rows: [.init(step: 0, loss: "6.900", probs: [.init("0.001"), .init("0.002")], distance: "0.998", text: Format.code("乱")),
                                                        .init(step: 10, loss: "3.000", probs: [.init("0.500"), .init("0.300")], distance: "0.200", text: Format.code("好。"))],
                                                 closest: .init(step: 10, loss: "3.000", probs: [.init("0.500"), .init("0.300")], distance: "0.200", text: Format.code("好。")),
                                                 lossFell: false, layer: 0, head: 0, initialSpread: "0.010")),
            ch3: Chapter3Values(prompt: Format.code("我爱"), rows: [.init(position: 0, token: Format.code("我"), id: 5, preview: "0.10, −0.20, …", norm: "1.000")],
                                learned: true, sinusoidal: false, rope: false, ropeExample: .init(position: 3, pair: 0, angle: "3.000"),
                                block: .init(layer: 0, token: Format.code("爱"), position: 1, residIn: "1.0", ln1: "7.76", attnOut: "0.5", mlpOut: "0.7", residOut: "1.4"),
                                lens: .init(last: Format.code("爱"), depths: (0...2).map { .init(depth: $0, token: Format.code("t\($0)"), prob: "0.500") },
                                            settled: 2, embeddingEchoes: true),
                                mlp: .init(layer: 1, width: 64, tokens: 2, positive: "25.0%", minimum: "−0.170", neuron: 7, peak: "2.00",
                                           peakToken: Format.code("爱"), corpusToken: Format.code("爱"), corpusPeak: "2.50", scanned: 1024, windows: 16,
                                           shown: 6),
                                norms: .init(width: 64, root: "8", input: "1.2", standardised: "8", output: "7.76", smallest: "7.76", largest: "19.9",
                                             final: "19.9", sameAsBlock: true),
                                unembed: .init(token: Format.code("爱"), vocabulary: 512, top: Format.code("，"), logit: "15.5", hNorm: "19.9", eNorm: "1.12",
                                               cosine: "0.699", second: Format.code("。"), secondLogit: "15.3")),
            ch4: Chapter4Values(next: dist, primerWords: [.init(word: Format.code("开心"), primerProb: "0.4", singleToken: false, prob: "0.001", rank: 40)],
                                corpus: .init(split: ContinuationCounts(prompt: "我今天很", words: ["开心"], documents: ["我今天很开心。"])), code: cont,
                                chain: .init(sentence: Format.code("我爱"), steps: [step], product: "0.500", logSum: step.logProb), pca: .init(tokens: 200, explained: "30.0%")),
            ch5: Chapter5Values(prompt: Format.code("我爱"), layer: 0, head: 0, tokens: [Format.code("我"), Format.code("爱")],
                                rows: [.init(query: Format.code("我"), scores: ["0.1", "0.2"], masked: ["0.1", "−∞"], weights: ["1.000", "0.000"])],
                                w21: "0.400", w22: "0.600", futureShare: "35.0%",
                                projection: .init(layer: 0, head: 0, width: 64, heads: 4, headSize: 16, positions: 2, query: Format.code("爱"),
                                                  key: Format.code("我"), dot: "−8.289"),
                                scaling: .init(prompt: Format.code("我爱"), tokens: 2, layer: 0, pairs: 3, headSize: 16, root: "4", rawVariance: "62.6",
                                               scaledVariance: "3.91", rawPeak: "0.882", scaledPeak: "0.625")),
            ch6: Chapter6Values(prompt: Format.code("人工"), windows: 16, windowLength: 32, rows: 480, heads: [head], previousHeads: [HeadRef(layer: 0, head: 1, score: "0.800")], firstHeads: [],
                                selfHeads: [], diffuseHeads: [], threshold: "0.5", diffuseThreshold: "0.9",
                                strongestPrevious: HeadRef(layer: 0, head: 1, score: "0.800"), uniformShare: "0.085"),
            ch7: Chapter7Values(prompt: Format.code("人工智能是"), greedy: .init(text: cont, steps: [step]),
                                beam: .init(width: 3, text: cont, logProb: "−3.0", greedyLogProb: "−3.5", tokens: 2, greedyTokens: 2, beatGreedy: true, sameAsGreedy: false),
                                temperatures: [.init(t: "0.5", top1: Format.code("a"), top1Prob: "0.9", entropy: "0.2")], topK: cut, topP: cut,
                                sample: .init(temperature: "0.8", seed: "7", text: cont),
                                cache: .init(promptTokens: 2, steps: DecodingCost.steps(fakeConfig, promptLength: 2, generated: 2),
                                             rowCost: DecodingCost.row(fakeConfig, position: 0))),
            ch8: Chapter8Values(sequences: 4, length: 8, positions: [.init(position: 0, target: Format.code("爱"), prob: "0.2", loss: "1.6")], meanLoss: "2.0", firstMean: "1.9",
                                parallelMaxDiff: Format.scientific(1e-6), peakLR: "0.003", clip: "1.0", clippedShare: "5.0%", steps: 100),
            ch9: Chapter9Values(length: 6, causalVisible: 21, bidirectionalVisible: 36, causalShare: Format.percent(21.0 / 36.0)),
            ch10: Chapter10Values(scaling: [.init(name: "tiny", parameters: "10,000", loss: "3.0")], scalingSlope: "−0.10", warmupSteps: 10, totalSteps: 100,
                                  peakLR: "0.003", finalLR: "0.0003", clip: "1.0", clippedSteps: 5, medianGradNorm: "0.4",
                                  fp16MaxError: "4.9e-04", fp16MeanError: "1.0e-04", bf16MaxError: "3.9e-03", bf16MeanError: "1.0e-03", weightCount: "123,456", fp16Subnormal: "12", sft: ft),
            ch11: Chapter11Values(story: cont, code: cont),
            ch12: Chapter12Values(greedyText: cont, loop: .init(text: cont, span: Format.code("我喜欢"), period: 3, repeats: 4), contextLength: 64,
                                  longPromptTokens: 80, droppedTokens: 16, hallucination: cont),
            ch13: Chapter13Values(gpt3Ratio: "1,417,000"),
            ch14: Chapter14Values(prompt: Format.code("人工智能是"), tokens: 5, chosen: tp(1)))
    }
}

/// Figures as small deterministic byte strings; captions passed through.
struct FakeFigures: FigureSource {
    func render(_ figure: FigureSpec, language: Language) throws(UserError) -> RenderedFigure {
        let tag = "\(figure.stage.rawValue) \(figure.fileStem) \(language.rawValue) \(figure.parameters.sorted { $0.key < $1.key })"
        let caption = figure.chapter == 0 ? "\(figure.id) frame \(figure.parameters["frame"]!)" : figure.caption
        return RenderedFigure(png: Data("PNG \(tag)".utf8), svg: Data("<svg>\(tag)</svg>".utf8), caption: caption,
                              alt: figure.alt.isEmpty ? caption : figure.alt)
    }
}

/// Temporary folders, and a writable copy of the repository's `lessons/` folder.
enum Scratch {
    static let repoLessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons")

    static func directory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gptx-lessons-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `<tmp>/lessons` with lessons.json and templates copied.
    static func lessonsCopy() -> URL {
        let dest = directory().appendingPathComponent("lessons")
        try! FileManager.default.createDirectory(at: dest, withIntermediateDirectories: true)
        for item in ["lessons.json", "templates"] {
            try! FileManager.default.copyItem(at: repoLessons.appendingPathComponent(item), to: dest.appendingPathComponent(item))
        }
        return dest
    }

    /// Every file under a folder, relative path → bytes.
    static func tree(_ root: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        for path in (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []) {
            var isDir: ObjCBool = false
            let full = root.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue {
                out[path] = FileManager.default.contents(atPath: full.path)
            }
        }
        return out
    }
}
