import TinyGPT

// Draws what the temperature does in `Sampler.sample` (Sources/TinyGPT/Decoding/Sampler.swift):
// the same logits divided by T before the softmax, and the token a seeded draw picks at each T.

/// One distribution the sampling figures draw: the probabilities after temperature, the tokens
/// a draw may choose among, and the token it chose.
struct DrawPanel {
    var title: String
    var probabilities: [Double]
    var keep: Int?
    var cutoffLabel: String?
    var chosen: Int
    var note: String
    /// After a top-k or top-p cut: each kept token's probability renormalised over the kept set
    /// (what the draw uses); empty when nothing was cut.
    var renormalised: [Int: Double] = [:]
}

extension StageFigures {
    /// Side-by-side bar charts over the same top tokens, the drawn token highlighted.
    static func drawPanels(_ panels: [DrawPanel], order: [Int], label: (Int) -> String, in frame: Rect, theme: Theme,
                           words: Words) -> [Primitive]
    {
        let rects = Panels.columns(frame, count: panels.count, gap: theme.gap * 2)
        var items: [Primitive] = []
        for (i, p) in panels.enumerated() {
            let renormalised = p.renormalised.isEmpty ? [] : order.map { p.renormalised[$0] }
            let chart = BarChart(labels: order.map(label), values: order.map { p.probabilities[$0] }, highlighted: order.firstIndex(of: p.chosen),
                                 cutoffs: p.keep.map { [.init(keep: $0, label: p.cutoffLabel ?? "")] } ?? [],
                                 valueTitle: i == 0 ? words("概率", "probability") : nil, marks: renormalised,
                                 legend: renormalised.isEmpty ? nil : .init(bars: words("截断前", "before"), marks: words("重新归一化后", "renormalised")))
            let inner = Panels.rows(rects[i], [1, 0.14], gap: 2)
            items += Titled(title: p.title, content: chart).draw(in: inner[0], theme: theme)
            items += TextBlock(lines: p.note.components(separatedBy: "\n"), size: theme.tickSize).draw(in: inner[1], theme: theme)
        }
        return items
    }

    /// The same logits at several temperatures.
    static func temperature(prompt: String, panels: [DrawPanel], order: [Int], shownTop: Int? = nil, label: (Int) -> String,
                            theme: Theme, words: Words) -> StageFigure {
        let k = shownTop ?? order.count
        let extra = order.count > k
            ? words("；抽中的 token 不在前 \(k) 名时补在最后（名次写在下方）", "; a drawn token outside the top \(k) is added at the end (its rank below)") : ""
        let page = Page(theme: theme, title: words("温度：同一组 logits，不同的 T", "Temperature: the same logits at different T"),
                        subtitle: words("提示「\(prompt)」；softmax(logits / T)，前 \(k) 名；高亮的是同一个随机数抽中的 token",
                                        "prompt \"\(prompt)\"; softmax(logits / T), top \(k); highlighted: the token the same uniform draw picks") + extra)
        let items = drawPanels(panels, order: order, label: label, in: page.body, theme: theme, words: words)
        let top = order[0]
        let caption = words(
            "温度越低分布越尖：最可能的「\(label(top))」在 " + panels.map { "\($0.title) 时占 \(Num.percent($0.probabilities[top]))" }.joined(separator: "、") + "。",
            "Lower temperature sharpens the distribution: the most likely \"\(label(top))\" holds " + panels.map { "\(Num.percent($0.probabilities[top])) at \($0.title)" }.joined(separator: ", ") + ".")
        let alt = words("\(panels.count) 个条形图：不同温度下同一组 token 的概率", "\(panels.count) bar charts: the same tokens' probabilities at different temperatures")
        return StageFigure(.temperature, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// The next-token logits after the prompt (the trace's last row).
    func lastLogits(_ ids: [Int]) -> [Float] { Array(trace(ids)[TraceName.logits]!.row(ids.count - 1)) }

    /// A seeded sampling step as a panel.
    func drawPanel(_ logits: [Float], title: String, temperature: Double, topK: Int?, topP: Double?, seed: UInt64,
                   cutoffLabel: (Int) -> String? = { _ in nil }) -> DrawPanel
    {
        var rng = SplitMix64(seed: seed)
        let record = temperature == 0 ? Sampler.greedy(logits: logits, position: 0)
            : Sampler.sample(logits: logits, position: 0, temperature: Float(temperature), topK: topK, topP: topP.map(Float.init), rng: &rng)
        let kept = record.kept.count
        let u = record.uniform.map { "u = \(Num.fixed($0, 3)) → " } ?? ""
        let renormalised = record.kept.first { $0.id == record.chosen }.map { Double($0.probability) } ?? 1
        let entropy = -record.probabilities.reduce(0.0) { $1 > 0 ? $0 + Double($1) * log(Double($1)) : $0 }
        let note = words("\(u)抽中「\(bundle.tokenizer.displayText(record.chosen))」\n在 \(kept) 个候选中占 \(Num.percent(renormalised))；熵 \(Num.fixed(entropy))",
                         "\(u)drew \"\(bundle.tokenizer.displayText(record.chosen))\"\n\(Num.percent(renormalised)) of the \(kept) kept; entropy \(Num.fixed(entropy))")
        let keep = kept < logits.count && (topK != nil || topP != nil) ? kept : nil
        let renormalisedBars = keep == nil ? [:] : Dictionary(uniqueKeysWithValues: record.kept.map { ($0.id, Double($0.probability)) })
        return DrawPanel(title: title, probabilities: record.probabilities.map(Double.init), keep: keep, cutoffLabel: keep.flatMap(cutoffLabel),
                         chosen: record.chosen, note: note, renormalised: renormalisedBars)
    }

    func temperatureFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let temps = try p.doubles("temperatures", default: [0.5, 1, 2], in: 0.05...10, maxCount: 5)
        let k = try p.int("topK", default: 10, in: 2...30)
        let logits = lastLogits(ids)
        let seed = request.options?.seed ?? 0
        var panels = temps.map { drawPanel(logits, title: "T = \(NumberFormat.short($0, digits: 3))", temperature: $0, topK: nil, topP: nil, seed: seed) }
        // A draw that lands outside the top k gets its own bar at the end, labelled with its rank
        // (dividing by T keeps the order, so the rank is the same at every T).
        let ranked = Sampler.order(logits)
        var order = Array(ranked.prefix(k))
        let rank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1, $0 + 1) })
        for i in panels.indices where !order.contains(panels[i].chosen) {
            order.append(panels[i].chosen)
        }
        for i in panels.indices where rank[panels[i].chosen]! > k {
            var lines = panels[i].note.components(separatedBy: "\n")
            lines[0] += words("，第 \(rank[panels[i].chosen]!) 名", ", rank \(rank[panels[i].chosen]!)")
            panels[i].note = lines.joined(separator: "\n")
        }
        return StageFigures.temperature(prompt: request.prompt, panels: panels, order: order, shownTop: k,
                                        label: bundle.tokenizer.displayText, theme: theme, words: words)
    }
}

import Foundation
