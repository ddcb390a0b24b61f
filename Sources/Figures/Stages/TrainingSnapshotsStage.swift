import Foundation
import TinyGPT

// Draws the model while it trained (`TrainingSnapshots`, Sources/TinyGPT/Experiments/TrainingSnapshots.swift;
// the snapshots `gptx train` keeps in `snapshots/`): the next-token probabilities after the prompt
// against the corpus's own split, one head's pattern at each snapshot, and a walkthrough with one
// frame per snapshot.

/// The snapshot views of one prompt, and the tokens they follow.
struct SnapshotStudy {
    var prompt: [String]
    var views: [SnapshotView]
    var candidates: SnapshotCandidates
    var labels: [String]
    var layer: Int, head: Int
    var greedy: [String]

    func probabilities(_ v: SnapshotView) -> [Double] { candidates.ids.map { v.probabilities[$0] } }
}

extension StageFigures {
    /// One line per candidate token: its probability at each snapshot, the corpus share dashed.
    static func snapshotProbabilities(_ s: SnapshotStudy, upTo last: Int? = nil, theme: Theme, words: Words) -> LineChart {
        let views = Array(s.views.prefix((last ?? (s.views.count - 1)) + 1))
        let series = s.candidates.ids.indices.map { i in
            LineSeries(name: s.labels[i], x: views.map { Double($0.step) }, y: views.map { $0.probabilities[s.candidates.ids[i]] })
        }
        let thresholds = (s.candidates.shares ?? []).enumerated().map { i, share in
            LineChart.Threshold(value: share, label: words("语料：\(s.labels[i]) \(Num.percent(share, digits: 0))", "corpus: \(s.labels[i]) \(Num.percent(share, digits: 0))"))
        }
        let top = s.views.flatMap { s.probabilities($0) }.max() ?? 1
        return LineChart(series: series, xTitle: words("训练步", "training step"), yTitle: words("下一个 token 的概率", "next-token probability"),
                         thresholds: thresholds, xExtent: [0, Double(s.views.last?.step ?? 1)], yExtent: [0, top])
    }

    static func snapshotTitle(_ s: SnapshotStudy, words: Words) -> String {
        let p = s.prompt.joined()
        return words("训练中的模型：「\(p)」之后", "The model while it trains: after \"\(p)\"")
    }

    static func shareText(_ s: SnapshotStudy, words: Words) -> String {
        guard let shares = s.candidates.shares else {
            return words("语料里没有「\(s.prompt.joined())」的续写，所以没有目标比例", "the corpus never continues \"\(s.prompt.joined())\", so there is no target split")
        }
        let parts = zip(s.labels, shares).map { "\($0) \(Num.percent($1, digits: 0))" }.joined(separator: words("、", ", "))
        return words("语料里 \(s.candidates.occurrences) 处续写的比例：\(parts)", "the corpus's split over its \(s.candidates.occurrences) continuations: \(parts)")
    }

    static func snapshotProbabilitiesFigure(_ s: SnapshotStudy, theme: Theme, words: Words) -> StageFigure {
        let steps = s.views.map { String($0.step) }.joined(separator: ", ")
        let page = Page(theme: theme, title: snapshotTitle(s, words: words),
                        subtitle: words("实线：第 \(steps) 步的快照给出的概率；虚线：", "lines: the probability at the snapshots of steps \(steps); dashed: ") + shareText(s, words: words))
        let chart = snapshotProbabilities(s, theme: theme, words: words)
        let first = s.views.first!, last = s.views.last!
        let now = zip(s.labels, s.probabilities(last)).map { "\($0) \(Num.percent($1))" }.joined(separator: words("、", ", "))
        let before = zip(s.labels, s.probabilities(first)).map { "\($0) \(Num.percent($1, digits: 2))" }.joined(separator: words("、", ", "))
        let caption = words("第 \(first.step) 步（随机初始化）时：\(before)；第 \(last.step) 步（训练结束）时：\(now)。虚线是\(shareText(s, words: words))。",
                            "At step \(first.step) (random initialisation): \(before); at step \(last.step) (the trained model): \(now). Dashed: \(shareText(s, words: words)).")
        let alt = words("折线图：\(s.labels.count) 个 token 的概率随训练步变化，虚线是语料中的比例",
                        "Line chart: the probabilities of \(s.labels.count) tokens across the training steps, dashed lines at the corpus's split")
        return StageFigure(.snapshotProbabilities, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }

    static func snapshotAttentionFigure(_ s: SnapshotStudy, theme: Theme, words: Words) -> StageFigure {
        let n = s.views.count, showLabels = s.prompt.count <= 8
        let page = Page(theme: theme, title: words("训练中的一个头：第 \(s.layer) 层第 \(s.head) 头", "One head while it trains: layer \(s.layer), head \(s.head)"),
                        subtitle: words("「\(s.prompt.joined())」上的 softmax 权重（行查询、列键，0…1），每个快照一格",
                                        "its softmax weights on \"\(s.prompt.joined())\" (rows queries, columns keys, 0…1), one panel per snapshot"))
        let grid = SmallMultiples(rows: 1, columns: n, columnHeaders: s.views.map { words("第 \($0.step) 步", "step \($0.step)") }) { _, c in
            Heatmap(values: s.views[c].pattern, rowLabels: showLabels ? s.prompt : [], columnLabels: showLabels ? s.prompt : [],
                    coloring: .sequential(range: 0...1), showValues: false, digits: 1, showColorBar: false)
        }
        let lastRow = s.prompt.count - 1
        func prevShare(_ v: SnapshotView) -> Double { lastRow > 0 ? v.pattern[lastRow][lastRow - 1] : 1 }
        let first = s.views.first!, last = s.views.last!
        let caption = words("最后一个 token「\(s.prompt[lastRow])」给前一个 token 的权重：第 \(first.step) 步 \(Num.percent(prevShare(first)))，第 \(last.step) 步 \(Num.percent(prevShare(last)))；随机初始化时每行接近均匀。",
                            "The weight the last token \"\(s.prompt[lastRow])\" gives the one before it: \(Num.percent(prevShare(first))) at step \(first.step), \(Num.percent(prevShare(last))) at step \(last.step); at initialisation each row is close to uniform.")
        let alt = words("\(n) 个小热图：同一个头在每个快照的注意力模式", "\(n) small heatmaps: the same head's attention pattern at each snapshot")
        // Square cells: the grid is as tall as one panel is wide (plus its header and labels); the page is cropped to it.
        let body = page.body
        let rect = Rect(x: body.minX, y: body.minY, width: body.width, height: min(body.height, body.width / Double(n) + theme.labelSize * 4))
        return StageFigure(.snapshotAttention, page: page, caption: caption, alt: alt, items: grid.draw(in: rect, theme: theme), fitted: true)
    }

    /// Frame `f` (0-based snapshot): the probabilities so far, this snapshot's pattern, its greedy text.
    static func trainingFrame(name: String, _ s: SnapshotStudy, index f: Int, theme: Theme, words: Words) -> StageFigure {
        let v = s.views[f]
        let page = Page(theme: theme, title: snapshotTitle(s, words: words) + words("：第 \(v.step) 步", " — step \(v.step)"),
                        subtitle: words("快照 \(f + 1)/\(s.views.count)；贪婪续写：", "snapshot \(f + 1) of \(s.views.count); greedy continuation: ") + "「\(s.greedy[f])」")
        let panels = Panels.columns(page.body, [1.4, 1], gap: theme.gap * 3)
        var items = Titled(title: words("下一个 token 的概率（虚线：语料）", "next-token probability (dashed: corpus)"),
                           content: snapshotProbabilities(s, upTo: f, theme: theme, words: words)).draw(in: panels[0], theme: theme)
        items += Titled(title: words("第 \(s.layer) 层第 \(s.head) 头", "layer \(s.layer), head \(s.head)"),
                        content: Heatmap(values: v.pattern, rowLabels: s.prompt.count <= 10 ? s.prompt : [], columnLabels: s.prompt.count <= 10 ? s.prompt : [],
                                         coloring: .sequential(range: 0...1), showValues: s.prompt.count <= 5, digits: 2, showColorBar: false))
            .draw(in: panels[1], theme: theme)
        let probs = zip(s.labels, s.probabilities(v)).map { "\($0) \(Num.percent($1, digits: 2))" }.joined(separator: words("、", ", "))
        let loss = v.loss.map { words("，留出文本上的平均损失 \(Num.fixed($0, 3))", "; mean loss on held-out text \(Num.fixed($0, 3))") } ?? ""
        let caption = words("第 \(v.step) 步：「\(s.prompt.joined())」之后 \(probs)\(loss)；贪婪续写「\(s.greedy[f])」。",
                            "Step \(v.step): after \"\(s.prompt.joined())\" \(probs)\(loss); greedy continuation \"\(s.greedy[f])\".")
        let alt = words("左：\(s.labels.count) 个 token 的概率直到第 \(v.step) 步；右：第 \(s.layer) 层第 \(s.head) 头在第 \(v.step) 步的注意力热图",
                        "Left: the probabilities of \(s.labels.count) tokens up to step \(v.step); right: layer \(s.layer) head \(s.head)'s attention at step \(v.step)")
        return StageFigure(.trainingStep, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// The snapshot study of a request's prompt (memoised per prompt, layer and head).
    func snapshotStudy(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> SnapshotStudy {
        let prompt = try promptIDs(request)
        // `start: document` reads the prompt after `<|endoftext|>`, as training saw a document begin.
        let ids = try p.choice("start", default: "prompt", in: ["prompt", "document"]) == "document" ? [bundle.tokenizer.endOfTextID] + prompt : prompt
        let layer = try p.int("layer", default: min(1, config.layers - 1), in: 0...(config.layers - 1))
        let head = try head(p)
        let k = try p.int("topK", default: 4, in: 1...8)
        let key = "\(ids)|\(layer)|\(head)|\(k)"
        if let s = studies[key] { return s }
        let text = try? trainingText()
        let windows = text.map { TrainingSnapshots.heldOutWindows($0.validation, contextLength: config.contextLength) } ?? []
        let views = try TrainingSnapshots.views(bundle: bundle, prompt: ids, layer: layer, head: head, continuation: 12, windows: windows)
        let counts = Corpus.nextTokenCounts(after: request.prompt, documents: text?.documents ?? [], tokenizer: bundle.tokenizer)
        let candidates = SnapshotCandidates(counts: counts, final: views.last!.probabilities, k: k)
        let eot = bundle.tokenizer.endOfTextID
        let greedy = views.map { v in bundle.tokenizer.decode(v.greedy.filter { $0 != eot }) + (v.greedy.last == eot ? "⏎" : "") }
        let s = SnapshotStudy(prompt: labels(ids), views: views, candidates: candidates, labels: labels(candidates.ids),
                              layer: layer, head: head, greedy: greedy)
        studies[key] = s
        return s
    }

    func snapshotProbabilitiesFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        StageFigures.snapshotProbabilitiesFigure(try snapshotStudy(request, p), theme: theme, words: words)
    }

    func snapshotAttentionFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        StageFigures.snapshotAttentionFigure(try snapshotStudy(request, p), theme: theme, words: words)
    }

    func trainingFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let s = try snapshotStudy(request, p)
        let range = try frameRange(p, available: s.views.count)
        return range.which.map { f in
            StageFigures.trainingFrame(name: frameName(.trainingStep, f), s, index: spread(f, frames: range.frames, over: s.views.count),
                                       theme: theme, words: words)
        }
    }
}
