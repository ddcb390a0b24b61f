import TinyGPT

// Draws the unembedding of `GPT.forwardPass` (Sources/TinyGPT/Model/GPT.swift) as dot products
// with the rows of W_E, as `Unembedding` (Sources/TinyGPT/Trace/Unembedding.swift) computes them.

extension StageFigures {
    /// Significant digits of the logits, lengths and cosines the figure prints (the lesson prints them the same way).
    public static let unembeddingDigits = 3

    /// A logit, length or cosine as the figure prints it.
    public static func unembeddingText(_ v: Double) -> String { NumberFormat.short(v, digits: unembeddingDigits) }

    /// Left: h, the row e of W_E it scores highest and h ⊙ e. Right: the `k` highest scores (the logits) as bars.
    static func unembedding(_ u: Unembedding, rows: [Unembedding.Row], rowLabels: [String], token: String, vocabulary V: Int,
                            theme: Theme, words: Words) -> StageFigure
    {
        let C = u.h.count, best = rows[0]
        let page = Page(theme: theme, title: words("反嵌入：与 W_E 每一行的点积", "The unembedding: a dot product with every row of W_E"),
                        subtitle: words("最后一个位置「\(token)」的 h = ln_f(x)（\(C) 维）与词表里 \(V) 个 token 的嵌入行逐一相乘：logit_v = h·e_v",
                                        "h = ln_f(x) at the last position \"\(token)\" (\(C) numbers) times each of the vocabulary's \(V) embedding rows: logit_v = h·e_v"))
        let parts = Panels.columns(page.body, [2.6, 1], gap: theme.gap * 2)
        // Each vector in rows of 8, so the C numbers stay readable; h ⊙ e sums to the logit.
        func grid(_ v: [Double]) -> [[Double]] { stride(from: 0, to: v.count, by: 8).map { Array(v[$0..<min(v.count, $0 + 8)]) } }
        let rowLabels8 = stride(from: 0, to: C, by: 8).map { "\($0)–\(min(C, $0 + 8) - 1)" }
        func heat(_ v: [Double], bar: Bool) -> Heatmap {
            Heatmap(values: grid(v), rowLabels: rowLabels8, columnLabels: (0..<8).map(String.init), coloring: .diverging(),
                    colorBarTitle: bar ? words("值", "value") : nil, showValues: false, maximumCellSize: 40, showColorBar: bar)
        }
        let h = u.h.map(Double.init), e = best.vector.map(Double.init)
        let left = Panels.columns(parts[0], count: 3, gap: theme.gap * 1.5)
        var items = Titled(title: words("h = ln_f(x)：‖h‖ = \(unembeddingText(u.hNorm))", "h = ln_f(x): ‖h‖ = \(unembeddingText(u.hNorm))"),
                           content: heat(h, bar: true)).draw(in: left[0], theme: theme)
        items += Titled(title: words("W_E 中「\(rowLabels[0])」那一行 e：‖e‖ = \(unembeddingText(best.norm))", "e, the row of \"\(rowLabels[0])\" in W_E: ‖e‖ = \(unembeddingText(best.norm))"),
                        content: heat(e, bar: true)).draw(in: left[1], theme: theme)
        items += Titled(title: words("h⊙e：\(C) 个乘积之和 = \(unembeddingText(best.logit))", "h⊙e: its \(C) products sum to \(unembeddingText(best.logit))"),
                        content: heat(zip(h, e).map { $0 * $1 }, bar: true)).draw(in: left[2], theme: theme)
        items += Titled(title: words("得分最高的 \(rows.count) 行：h·e = logit", "the \(rows.count) highest: h·e = logit"),
                        content: BarChart(labels: rowLabels, values: rows.map(\.logit), highlighted: 0, valueTitle: "logit",
                                          digits: unembeddingDigits)).draw(in: parts[1], theme: theme)
        let caption = words(
            "「\(rowLabels[0])」的嵌入行与 h 的点积最大：h·e = \(unembeddingText(best.logit)) = ‖h‖ \(unembeddingText(u.hNorm)) × ‖e‖ \(unembeddingText(best.norm)) × cos θ \(unembeddingText(best.cosine))。",
            "The embedding row of \"\(rowLabels[0])\" has the largest dot product with h: h·e = \(unembeddingText(best.logit)) = ‖h‖ \(unembeddingText(u.hNorm)) × ‖e‖ \(unembeddingText(best.norm)) × cos θ \(unembeddingText(best.cosine)).")
        let alt = words("三幅热图：h、得分最高那一行 e 和两者逐项的乘积；条形图：得分最高的几行的点积（logit）：", "Three heatmaps: h, the top-scoring row e and their elementwise product; bars: the dot products (logits) of the top rows: ")
            + zip(rowLabels, rows).map { "\($0) \(unembeddingText($1.logit))" }.joined(separator: words("；", "; "))
        return StageFigure(.unembedding, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func unembeddingFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), last = ids.count - 1, k = try p.int("topK", default: 5, in: 1...10)
        let u = Unembedding(model: model, trace: trace(ids), position: last)
        let rows = u.top(k)
        return StageFigures.unembedding(u, rows: rows, rowLabels: labels(rows.map(\.id)), token: labels([ids[last]])[0],
                                        vocabulary: config.vocabSize, theme: theme, words: words)
    }
}
