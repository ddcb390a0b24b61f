import Foundation
import Testing
@testable import Figures

/// Small, fixed inputs for every kit figure, shared by golden, determinism and layout tests.
enum Fixtures {
    static let tokens = ["The", " cat", " sat", " on", " the", " mat"]

    /// A causal score matrix: −∞ above the diagonal.
    static func maskedScores(_ n: Int) -> [[Double]] {
        (0..<n).map { r in (0..<n).map { c in c > r ? -.infinity : sin(Double(r * 7 + c)) * 2 } }
    }

    static func heatmap(theme: Theme = .light) -> Drawing {
        let labels = tokens.map(TokenText.display)
        return Heatmap(values: maskedScores(6), rowLabels: labels, columnLabels: labels, coloring: .diverging(),
                       rowTitle: "query position", columnTitle: "key position", colorBarTitle: "score")
            .drawing(size: Size(width: 480, height: 400), theme: theme, title: "Masked attention scores",
                     description: "Six by six scores; cells above the diagonal are masked to minus infinity.")
    }

    /// A heatmap of `n × n` with long Chinese labels, for the layout tests.
    static func chineseHeatmap(_ n: Int, size: Size = .slide16x9) -> Drawing {
        let labels = (0..<n).map { "这是一个非常非常长的中文词元标签\($0)" }
        let values: [[Double]] = (0..<n).map { r in
            (0..<n).map { c -> Double in
                if c > r { return -Double.infinity }
                let k: Int = (r * 31 + c * 17) % 101
                return Double(k) / 10
            }
        }
        return Heatmap(values: values, rowLabels: labels, columnLabels: labels, rowTitle: "查询位置（行）",
                       columnTitle: "键的位置（列）", colorBarTitle: "注意力分数")
            .drawing(size: size, theme: .light, title: "中文", description: "Chinese labels")
    }

    static func barChart(theme: Theme = .light) -> Drawing {
        let labels = [" mat", " rug", " floor", " sofa", " bed", " chair", " table", " 地毯", " ground", " roof"]
        let p = [0.31, 0.18, 0.14, 0.1, 0.08, 0.06, 0.05, 0.04, 0.02, 0.02]
        return BarChart(labels: labels.map(TokenText.display), values: p, highlighted: 1,
                        cutoffs: [.init(keep: 5, label: "top-k = 5"), .init(keep: 3, label: "top-p = 0.6 keeps 3")],
                        valueTitle: "probability", categoryTitle: "next token")
            .drawing(size: Size(width: 480, height: 300), theme: theme, title: "Next-token probabilities",
                     description: "Ten candidate tokens; top-k keeps five, top-p keeps three; ' rug' was sampled.")
    }

    static func lineChart(theme: Theme = .light) -> Drawing {
        let xs = (0...50).map { Double($0 * 20) }
        let train = xs.map { 4.2 * exp(-$0 / 250) + 1.1 }
        let val = xs.map { 4.25 * exp(-$0 / 280) + 1.3 }
        return LineChart(series: [LineSeries(name: "train loss", x: xs, y: train),
                                  LineSeries(name: "validation loss", x: xs, y: val)],
                         xTitle: "step", yTitle: "loss (nats)", yScale: .log,
                         thresholds: [.init(value: log(65), label: "uniform guess ln 65")])
            .drawing(size: Size(width: 480, height: 300), theme: theme, title: "Loss curves",
                     description: "Training and validation loss fall from about 5.3 to 1.2 over 1000 steps.")
    }

    static func tokenStrip(theme: Theme = .light) -> Drawing {
        TokenStrip(tokens: tokens + ["。", "今天", "天气", "很好"], ids: [464, 3797, 3332, 319, 262, 2603, 1543, 20015, 25465, 36685],
                   values: [0.05, 0.3, 0.1, 0.02, 0.08, 0.9, 0.2, 0.5, 0.4, 0.7], highlighted: 5)
            .drawing(size: Size(width: 480, height: 140), theme: theme, title: "Tokens",
                     description: "Ten tokens with their ids, coloured by attention.")
    }

    static func vectorStrip(theme: Theme = .light) -> Drawing {
        VectorStrip(values: (0..<32).map { sin(Double($0) * 0.7) * Double($0 % 5) / 4 }, label: "wte[3797]")
            .drawing(size: Size(width: 480, height: 80), theme: theme, title: "Embedding",
                     description: "A 32-dimensional embedding as coloured cells.")
    }

    static func blockDiagram(theme: Theme = .light) -> Drawing {
        BlockDiagram(boxes: [
            .init(id: "in", label: "Tokens", detail: "T ids", column: 0, row: 0),
            .init(id: "emb", label: "Embedding", detail: "wte + wpe", column: 1, row: 0),
            .init(id: "blk", label: "Block × L", detail: "attention + MLP", column: 2, row: 0, emphasized: true),
            .init(id: "ln", label: "LayerNorm", column: 2, row: 1),
            .init(id: "out", label: "Logits", detail: "T × V", column: 1, row: 1),
        ], arrows: [
            .init(from: "in", to: "emb", label: "T"), .init(from: "emb", to: "blk", label: "T×C"),
            .init(from: "blk", to: "ln", label: "T×C"), .init(from: "ln", to: "out", label: "T×C → T×V"),
        ]).drawing(size: Size(width: 480, height: 240), theme: theme, title: "GPT-2 overview",
                   description: "Tokens flow through embedding, L blocks, a final LayerNorm and the unembedding.")
    }

    static func beamTree(theme: Theme = .light) -> Drawing {
        BeamTree(nodes: [
            .init(id: 0, parent: nil, token: "The", score: 0, kept: true, best: true),
            .init(id: 1, parent: 0, token: " cat", score: -0.51, kept: true, best: true),
            .init(id: 2, parent: 0, token: " dog", score: -0.92, kept: true),
            .init(id: 3, parent: 0, token: " 猫", score: -2.3, kept: false),
            .init(id: 4, parent: 1, token: " sat", score: -0.8, kept: true, best: true),
            .init(id: 5, parent: 1, token: " ran", score: -1.7, kept: false),
            .init(id: 6, parent: 2, token: " barked", score: -1.2, kept: true),
            .init(id: 7, parent: 2, token: " sat", score: -2.0, kept: false),
        ], stepTitles: ["prompt", "step 1", "step 2"])
            .drawing(size: Size(width: 480, height: 260), theme: theme, title: "Beam search",
                     description: "Beam width 2 over two steps; the winner thick, other kept beams solid, pruned dashed.")
    }

    static func scatter(theme: Theme = .light) -> Drawing {
        let words = ["cat", "dog", "猫", "狗", "mat", "rug", "sat", "ran", "the", "a", "on", "under", "kitten", "puppy"]
        let items = words.enumerated().map { i, w in
            LabeledScatter.Item(x: cos(Double(i) * 1.3) * Double(i % 4 + 1), y: sin(Double(i) * 0.9) * 2,
                                label: w, category: i % 3)
        }
        return LabeledScatter(points: items, xTitle: "component 1", yTitle: "component 2")
            .drawing(size: Size(width: 480, height: 320), theme: theme, title: "Embedding map",
                     description: "Fourteen token embeddings projected to two dimensions.")
    }

    static func smallMultiples(theme: Theme = .light) -> Drawing {
        SmallMultiples(rows: 2, columns: 3, rowHeaders: ["layer 0", "layer 1"],
                       columnHeaders: ["head 0", "head 1", "head 2"]) { l, h in
            let n = 6
            let v = (0..<n).map { r in (0..<n).map { c -> Double in
                c > r ? 0 : exp(-Double(abs(r - c - l - h))) } }
            return Heatmap(values: v, coloring: .sequential(range: 0...1), showValues: false,
                           showColorBar: false)
        }.drawing(size: Size(width: 640, height: 400), theme: theme, title: "Attention heads",
                  description: "Two layers by three heads of attention patterns.")
    }

    static let all: [(String, @Sendable (Theme) -> Drawing)] = [
        ("heatmap", heatmap), ("bar-chart", barChart), ("line-chart", lineChart), ("token-strip", tokenStrip),
        ("vector-strip", vectorStrip), ("block-diagram", blockDiagram), ("beam-tree", beamTree),
        ("scatter", scatter), ("small-multiples", smallMultiples),
    ]

    /// The fixture called `name`, drawn with `theme`.
    static func named(_ name: String, theme: Theme = .light) -> Drawing? {
        all.first { $0.0 == name }.map { $0.1(theme) }
    }
}

/// What a figure's labels get wrong, for the layout tests: labels outside the canvas, characters
/// the font has no glyph for, and pairs of labels that overlap by more than half a point each way.
struct LabelProblems {
    var outside: [String] = []
    var missingGlyphs: [String] = []
    var overlaps: [String] = []

    init(_ drawing: Drawing) {
        let labels = drawing.labelBounds()
        outside = labels.filter { !drawing.bounds.contains($0.bounds, tolerance: 0.5) }.map(\.label.text)
        missingGlyphs = Set(labels.flatMap { $0.label.text.unicodeScalars }).filter {
            (try? FontLibrary.locate(family: FontLibrary.family, weight: .regular, sample: String($0))) == nil
        }.map { "U+" + String($0.value, radix: 16, uppercase: true) }.sorted()
        for i in labels.indices {
            for j in labels.indices where j > i {
                let a = labels[i].bounds, b = labels[j].bounds
                let w = min(a.maxX, b.maxX) - max(a.minX, b.minX), h = min(a.maxY, b.maxY) - max(a.minY, b.minY)
                if w > 0.5 && h > 0.5 { overlaps.append("\(labels[i].label.text) overlaps \(labels[j].label.text)") }
            }
        }
    }
}

/// Renders `stage` twice for the typical prompt: the drawings, PNG and SVG bytes must be equal.
func expectRendersByteIdentical(_ stage: FigureStage) throws {
    let a = try Shipped.renderer(.en).render(StageRequest(stage: stage, prompt: Shipped.typical))
    let b = try Shipped.renderer(.en).render(StageRequest(stage: stage, prompt: Shipped.typical))
    #expect(a.count == b.count)
    for (x, y) in zip(a, b) {
        #expect(x.drawing == y.drawing, "\(x.name): drawings differ")
        #expect(try x.drawing.png(scale: 1) == y.drawing.png(scale: 1), "\(x.name): PNG bytes differ")
        #expect(try x.drawing.svg() == y.drawing.svg(), "\(x.name): SVG bytes differ")
    }
}
