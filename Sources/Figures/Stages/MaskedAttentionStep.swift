import TinyGPT

// A walkthrough of `attentionForward` (Sources/Kernels/Attention.swift) one query row per
// frame: the rows computed so far, the current row outlined, and its weights as bars.

extension StageFigures {
    static func maskedAttentionFrame(name: String, slice a: AttentionSlice, row: Int, frame: Int, frames: Int, theme: Theme, words: Words) -> StageFigure {
        let n = a.tokens.count
        let revealed = a.pattern.enumerated().map { i, r in i <= row ? r : r.map { _ in Double.nan } }
        let page = Page(theme: theme, title: words("掩码注意力，一行一行（\(frame)/\(frames)）", "Masked attention, row by row (\(frame)/\(frames))"),
                        subtitle: words("第 \(a.layer) 层第 \(a.head) 头：查询「\(a.tokens[row])」只能看位置 0…\(row)，softmax 把分数变成和为 1 的权重",
                                        "layer \(a.layer), head \(a.head): query \"\(a.tokens[row])\" may look at positions 0…\(row); softmax turns its scores into weights summing to 1"))
        let panels = Panels.columns(page.body, [1.2, 1], gap: theme.gap * 3)
        var items = Titled(title: words("已算出的行", "rows computed so far"),
                           content: Heatmap(values: revealed, rowLabels: a.tokens, columnLabels: a.tokens, coloring: .sequential(range: 0...1),
                                            rowTitle: words("查询", "query"), columnTitle: words("键", "key"), colorBarTitle: words("权重", "weight"),
                                            digits: 2, highlightedRows: [row]))
            .draw(in: panels[0], theme: theme)
        let weights = Array(a.pattern[row].prefix(row + 1))
        let top = weights.indices.max { weights[$0] < weights[$1] }!
        items += Titled(title: words("「\(a.tokens[row])」的权重", "weights of \"\(a.tokens[row])\""),
                        content: BarChart(labels: Array(a.tokens.prefix(row + 1)), values: weights, highlighted: top,
                                          valueTitle: words("注意力权重", "attention weight"), categoryTitle: words("键", "key")))
            .draw(in: panels[1], theme: theme)
        let caption = words(
            "第 \(row + 1) 行：「\(a.tokens[row])」的分数里有 \(n - row - 1) 个被掩码成 −∞；剩下 \(row + 1) 个经 softmax 后，「\(a.tokens[top])」得到 \(Num.percent(weights[top]))。",
            "Row \(row + 1): \(n - row - 1) of \"\(a.tokens[row])\"'s scores are masked to −∞; after softmax over the other \(row + 1), \"\(a.tokens[top])\" gets \(Num.percent(weights[top])).")
        let alt = words("注意力矩阵的前 \(row + 1) 行，第 \(row + 1) 行「\(a.tokens[row])」加框；右侧是这一行的 \(row + 1) 个权重条形图",
                        "The first \(row + 1) rows of the attention matrix, row \(row + 1) (\"\(a.tokens[row])\") outlined; its \(row + 1) weights as bars on the right")
        return StageFigure(.maskedAttentionStep, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func maskedAttentionFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try promptIDs(request)
        let a = attentionSlice(ids, layer: try layer(p), head: try head(p))
        // One frame per query row, at most 8 by default: a long prompt is walked through at evenly
        // spaced rows (strictly increasing, as frames ≤ rows).
        let (frames, which) = try frameRange(p, available: ids.count, cap: 8)
        return which.map { f in
            StageFigures.maskedAttentionFrame(name: frameName(.maskedAttentionStep, f), slice: a, row: spread(f, frames: frames, over: ids.count),
                                              frame: f, frames: frames, theme: theme, words: words)
        }
    }
}
