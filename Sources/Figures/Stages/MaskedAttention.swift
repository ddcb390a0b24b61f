import TinyGPT

// Draws what `attentionForward` (Sources/Kernels/Attention.swift) computes for one head:
// scores q·k/√d, the causal mask, and the softmax that turns each row into weights.

/// One head's attention over a prompt, from a trace.
struct AttentionSlice {
    var tokens: [String]
    var layer: Int
    var head: Int
    /// q·k/√d_head for every (query, key), [query][key].
    var unmasked: [[Double]]
    /// The same with −∞ above the diagonal.
    var masked: [[Double]]
    /// softmax of each masked row.
    var pattern: [[Double]]
}

extension StageFigures {
    /// Scores → masked scores → softmax, three panels with cell values and tokens on both axes.
    static func maskedAttention(_ a: AttentionSlice, theme: Theme, words: Words) -> StageFigure {
        let n = a.tokens.count
        let page = Page(size: attentionPageSize(tokens: a.tokens, theme: theme), theme: theme,
                        title: words("掩码自注意力：分数 → 掩码 → softmax", "Masked self-attention: scores → mask → softmax"),
                        subtitle: words("第 \(a.layer) 层第 \(a.head) 头；行是查询、列是键；分数 = q·k/√d", "layer \(a.layer), head \(a.head); rows are queries, columns keys; score = q·k/√d"))
        let panels = Panels.columns(page.body, count: 3, gap: theme.gap * 2)
        let limit = a.unmasked.flatMap { $0 }.map(abs).max() ?? 1
        let specs: [(String, [[Double]], Heatmap.Coloring, String)] = [
            (words("① 分数 q·k/√d", "① scores q·k/√d"), a.unmasked, .diverging(limit: limit), words("分数", "score")),
            (words("② 加上掩码（上方 −∞）", "② masked (−∞ above)"), a.masked, .diverging(limit: limit), words("分数", "score")),
            (words("③ softmax：每行和为 1", "③ softmax: rows sum to 1"), a.pattern, .sequential(range: 0...1), words("权重", "weight")),
        ]
        var items: [Primitive] = []
        for (i, (title, values, coloring, bar)) in specs.enumerated() {
            let heat = Heatmap(values: values, rowLabels: a.tokens, columnLabels: a.tokens, coloring: coloring,
                               rowTitle: words("查询", "query"), columnTitle: words("键", "key"), colorBarTitle: bar, digits: 2)
            items += Titled(title: title, content: heat).draw(in: panels[i], theme: theme)
        }
        let last = a.pattern[n - 1]
        let top = last.indices.max { last[$0] < last[$1] }!
        let caption = words(
            "第 \(a.layer) 层第 \(a.head) 头：掩码把 \(n * (n - 1) / 2) 个未来位置设成 −∞，softmax 后它们的权重正好是 0；最后一个 token「\(a.tokens[n - 1])」把 \(Num.percent(last[top])) 的注意力给了「\(a.tokens[top])」。",
            "Layer \(a.layer), head \(a.head): the mask sets \(n * (n - 1) / 2) future positions to −∞, which softmax turns into weights of exactly 0; the last token \"\(a.tokens[n - 1])\" puts \(Num.percent(last[top])) of its attention on \"\(a.tokens[top])\".")
        let alt = words("三幅热图：原始分数、加掩码的分数（上三角为负无穷）、softmax 后的注意力权重", "Three heatmaps: raw scores, masked scores with minus infinity above the diagonal, and the softmax attention weights")
        return StageFigure(.attentionScores, page: page, caption: caption, alt: alt, items: items, fitted: true)
    }

    /// A page just wide enough for three panels of `tokens.count` cells of about 40 pt (values
    /// legible in them), at most a slide: a short prompt gets a narrow page instead of small
    /// heatmaps in a wide one; as tall as those cells need (and cropped after layout).
    static func attentionPageSize(tokens: [String], theme: Theme) -> Size {
        let n = Double(tokens.count), cell = 40.0
        let bar = ColorBar(scale: .sequential(values: [-10, 10], colormap: theme.sequential, range: nil), title: "score").width(theme: theme)
        let labels = tokens.map { Fonts.width($0, size: theme.tickSize) }.max() ?? 0
        let panel = theme.labelSize * 1.3 + theme.gap + labels + 4 + n * cell + theme.gap * 2 + bar
        let width = 3 * panel + 2 * theme.gap * 2 + 2 * theme.margin
        // Title block, panel heading, column title, column labels (upright if they are wide), the cells.
        let top = theme.margin + theme.titleSize * 1.25 + theme.labelSize * 1.45 + theme.gap
        let header = labels > cell - 4 ? labels + 4 : theme.tickSize * 1.3 + 2
        let height = top + theme.labelSize * 1.5 + theme.labelSize * 1.3 + theme.gap + header + n * cell + theme.margin
        return Size(width: min(Size.slide16x9.width, max(480, width.rounded(.up))),
                    height: min(Size.slide16x9.height, max(240, height.rounded(.up))))
    }
}

extension StageRenderer {
    func attentionSlice(_ ids: [Int], layer l: Int, head h: Int) -> AttentionSlice {
        let t = trace(ids)
        return AttentionSlice(tokens: labels(ids), layer: l, head: h, unmasked: matrix(t[TraceName.scoresUnmasked(layer: l)]!, h),
                              masked: matrix(t[TraceName.scores(layer: l)]!, h), pattern: matrix(t[TraceName.pattern(layer: l)]!, h))
    }

    func attentionScoresFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        return StageFigures.maskedAttention(attentionSlice(ids, layer: try layer(p), head: try head(p)), theme: theme, words: words)
    }
}
