import TinyGPT

// Draws the first step of attention in `attentionForward` (Sources/Kernels/Attention.swift), as
// `QKVProjection` (Sources/TinyGPT/Trace/QKVProjection.swift) reads it from a trace: LN₁(x) times
// W_QKV, cut into q, k, v and into the heads.

extension StageFigures {
    /// Left: the last position's x (C numbers, in rows of `headSize`). Middle: its 3C numbers after
    /// W_QKV, one row per (part, head). Right: head `head`'s q, k, v at every position.
    static func qkvProjection(_ p: QKVProjection, head: Int, tokens: [String], theme: Theme, words: Words) -> StageFigure {
        let T = p.positions, C = p.width, HS = p.headSize, H = p.heads, t = T - 1
        let page = Page(theme: theme, title: words("q、k、v 从哪里来（第 \(p.layer) 层）", "Where q, k and v come from (layer \(p.layer))"),
                        subtitle: words("每个位置的 \(C) 个数乘以 W_QKV（\(C)×\(3 * C)）再加偏置，得到 \(3 * C) 个数：前 \(C) 个是 q，中间 \(C) 个是 k，最后 \(C) 个是 v；每 \(HS) 个一组分给 \(H) 个头",
                                        "each position's \(C) numbers times W_QKV (\(C)×\(3 * C)) plus a bias give \(3 * C): the first \(C) are q, the next \(C) k, the last \(C) v; every \(HS) of them go to one of \(H) heads"))
        func grid(_ v: [Float]) -> [[Double]] { stride(from: 0, to: v.count, by: HS).map { v[$0..<min(v.count, $0 + HS)].map(Double.init) } }
        let columnLabels = (0..<HS).map { $0 % 4 == 0 ? String($0) : "" }
        func heat(_ rows: [[Double]], _ labels: [String], highlighted: [Int] = [], bar: Bool = false) -> Heatmap {
            Heatmap(values: rows, rowLabels: labels, columnLabels: columnLabels, coloring: .diverging(), colorBarTitle: bar ? words("值", "value") : nil,
                    showValues: false, maximumCellSize: 36, showColorBar: bar, highlightedRows: highlighted)
        }
        let cols = Panels.columns(page.body, [1, 1.25, 1], gap: theme.gap * 2)
        let xLabels = (0..<(C / HS)).map { "\($0 * HS)–\($0 * HS + HS - 1)" }
        var items = Titled(title: words("「\(tokens[t])」的 x = LN1(x)：\(C) 个数", "x = LN1(x) of \"\(tokens[t])\": \(C) numbers"),
                           content: heat(grid(p.input[t]), xLabels)).draw(in: cols[0], theme: theme)
        let names = ["q", "k", "v"]
        let partLabels = names.flatMap { n in (0..<H).map { words("\(n) 头\($0)", "\(n) h\($0)") } }
        items += Titled(title: words("x·W_QKV + b：\(3 * C) 个数，每行 \(HS) 个", "x·W_QKV + b: \(3 * C) numbers, \(HS) a row"),
                        content: heat(grid(p.row(t)), partLabels, highlighted: [head, H + head, 2 * H + head], bar: true)).draw(in: cols[1], theme: theme)
        let right = Panels.rows(cols[2], [1, 1, 1, 0.7], gap: theme.gap)
        for (i, part) in QKVProjection.Part.allCases.enumerated() {
            items += Titled(title: words("头 \(head) 的 \(names[i])：\(T)×\(HS)", "head \(head)'s \(names[i]): \(T)×\(HS)"),
                            content: heat(p.slice(part, head: head).map { $0.map(Double.init) }, tokens)).draw(in: right[i], theme: theme)
        }
        let qi = min(1, T - 1), q0 = p.dot(query: qi, key: 0, head: head)
        let pair = words("q「\(tokens[qi])」·k「\(tokens[0])」", "q(\(tokens[qi]))·k(\(tokens[0]))")
        items += Titled(title: words("下一步：分数", "next: the scores"),
                        content: TextBlock(lines: [words("q_i · k_j ÷ √\(HS)", "q_i · k_j ÷ √\(HS)"),
                                                   "\(pair) = \(Num.fixed(q0, 3))",
                                                   "÷ \(NumberFormat.short(Double(HS).squareRoot(), digits: 3)) = \(Num.fixed(q0 / Double(HS).squareRoot(), 3))"]))
            .draw(in: right[3], theme: theme)
        let caption = words(
            "第 \(p.layer) 层：\(T) 个位置各自的 \(C) 维向量乘以同一个 W_QKV，得到 \(T)×\(3 * C) 的 q、k、v；头 \(head) 只取其中第 \(head * HS)–\(head * HS + HS - 1) 列。\(pair) = \(Num.fixed(q0, 3))，除以 √\(HS) 就是分数表里的那一格。",
            "Layer \(p.layer): each of the \(T) positions' \(C)-vectors times the same W_QKV gives a \(T)×\(3 * C) block of q, k and v; head \(head) takes columns \(head * HS)–\(head * HS + HS - 1) of each. \(pair) = \(Num.fixed(q0, 3)); divided by √\(HS) it is that cell of the score table.")
        let alt = words("热图：LN1 输出（\(T)×\(C)）与它乘 W_QKV 后的 q、k、v（各 \(T)×\(C)），下方是头 \(head) 的 q、k、v（各 \(T)×\(HS)）",
                        "Heatmaps: the LN1 output (\(T)×\(C)) and q, k, v after W_QKV (\(T)×\(C) each); below, head \(head)'s q, k, v (\(T)×\(HS) each)")
        return StageFigure(.qkvProjection, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func qkvProjectionFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), l = try layer(p), h = try head(p)
        return StageFigures.qkvProjection(QKVProjection(trace: trace(ids), layer: l), head: h, tokens: labels(ids), theme: theme, words: words)
    }
}
