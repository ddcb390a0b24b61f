import TinyGPT

// Draws what `LogitLens` (Sources/TinyGPT/Trace/LogitLens.swift) computes: the residual stream
// after the embedding and after each block, read out through ln_f and the unembedding.

extension StageFigures {
    /// Left: the top-1 token each depth would predict at every position, coloured by its
    /// probability. Right: the top `k` at the last position, depth by depth.
    static func logitLens(tokens: [String], depthLabels: [String], top1: [[(label: String, probability: Double)]],
                          last: [[(label: String, probability: Double)]], settled: Int, theme: Theme, words: Words) -> StageFigure
    {
        let D = depthLabels.count, T = tokens.count, k = last.first?.count ?? 0
        let final = last[D - 1][0]
        let page = Page(theme: theme, title: words("逐层读出（logit lens）", "Layer by layer (logit lens)"),
                        subtitle: words("每层之后的残差流经过 ln_f 和反嵌入：如果模型在这里停下，它会预测什么",
                                        "the residual stream after each block through ln_f and the unembedding: what the model would predict if it stopped there"))
        let parts = Panels.columns(page.body, [Double(max(T, 3)), Double(max(k, 3)) + 1], gap: theme.gap * 2)
        let unit = Heatmap.Coloring.sequential(range: 0...1)
        let left = Heatmap(values: top1.map { $0.map(\.probability) }, rowLabels: depthLabels, columnLabels: tokens, coloring: unit,
                           columnTitle: words("位置上的 token", "token at each position"), showColorBar: false,
                           cellLabels: top1.map { $0.map(\.label) })
        var items = Titled(title: words("每个位置的第 1 名预测", "top-1 prediction at each position"), content: left).draw(in: parts[0], theme: theme)
        let right = Heatmap(values: last.map { $0.map(\.probability) }, rowLabels: depthLabels, columnLabels: (1...max(1, k)).map(String.init),
                            coloring: unit, columnTitle: words("名次", "rank"), colorBarTitle: words("概率", "probability"),
                            cellLabels: last.map { $0.map(\.label) }, highlightedRows: [settled])
        items += Titled(title: words("最后一个位置「\(tokens[T - 1])」之后的前 \(k) 名；最终「\(final.label)」\(Num.percent(final.probability))",
                                     "after the last position \"\(tokens[T - 1])\": top \(k); finally \"\(final.label)\" \(Num.percent(final.probability))"),
                        content: right).draw(in: parts[1], theme: theme)
        let settledText = settled == 0
            ? words("从嵌入开始就已经是它", "already so straight from the embedding")
            : words("从「\(depthLabels[settled])」起才是它", "only from \"\(depthLabels[settled])\" on")
        let caption = words(
            "最后一个位置的最终预测是「\(final.label)」（\(Num.percent(final.probability))），\(settledText)；嵌入层本身预测「\(last[0][0].label)」（\(Num.percent(last[0][0].probability))）。",
            "The final prediction at the last position is \"\(final.label)\" (\(Num.percent(final.probability))), \(settledText); the embedding alone predicts \"\(last[0][0].label)\" (\(Num.percent(last[0][0].probability))).")
        let alt = words("两张热图：行是深度（嵌入、各块之后），左图列是位置、格中是第 1 名 token；右图是最后位置的前 \(k) 名：",
                        "Two heatmaps: rows are depths (embedding, after each block); left, columns are positions and cells the top-1 token; right, the top \(k) at the last position: ")
            + zip(depthLabels, last).map { "\($0) \($1[0].label) \(Num.percent($1[0].probability))" }.joined(separator: words("；", "; "))
        return StageFigure(.logitLens, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func logitLensFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let k = try p.int("topK", default: 5, in: 1...8)
        let lens = LogitLens(model: model, trace: trace(ids))
        let show = { (t: (id: Int, probability: Double)) in (label: self.bundle.tokenizer.displayText(t.id), probability: t.probability) }
        let top1 = (0..<lens.depths).map { d in (0..<ids.count).map { show(lens.top(1, depth: d, position: $0)[0]) } }
        let last = (0..<lens.depths).map { d in lens.top(k, depth: d, position: ids.count - 1).map(show) }
        return StageFigures.logitLens(tokens: labels(ids), depthLabels: depthLabels(lens.depths), top1: top1, last: last,
                                      settled: lens.settledDepth(position: ids.count - 1), theme: theme, words: words)
    }

    /// `embedding`, `after block 0`, … as the figures name the depths of the residual stream.
    func depthLabels(_ depths: Int) -> [String] {
        [words("嵌入", "embedding")] + (0..<(depths - 1)).map { words("第 \($0) 块之后", "after block \($0)") }
    }
}
