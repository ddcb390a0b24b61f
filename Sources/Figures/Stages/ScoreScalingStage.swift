import TinyGPT

// Draws why `attentionForward` (Sources/Kernels/Attention.swift) divides the scores by √d_k,
// as `ScoreScaling` (Sources/TinyGPT/Trace/ScoreScaling.swift) measures it on a real prompt.

extension StageFigures {
    /// Significant digits of the variances and weights the figure prints (the lesson prints them the same way).
    public static let scalingDigits = 3

    /// A variance or weight as the figure prints it over its bar.
    public static func scalingText(_ v: Double) -> String { NumberFormat.short(v, digits: scalingDigits) }

    /// Three bar charts over the heads (and all heads together): Var(q·k), Var(q·k/√d_k), and the
    /// mean largest softmax weight of a row with the division (bars) and without it (outlines).
    static func scoreScaling(_ s: ScoreScaling, tokens: Int, theme: Theme, words: Words) -> StageFigure {
        let d = s.headSize, root = NumberFormat.short(Double(d).squareRoot(), digits: 3)
        let all = s.heads + [s.pooled]
        let labels = s.heads.indices.map { words("头 \($0)", "head \($0)") } + [words("平均", "mean")]
        let page = Page(theme: theme, title: words("为什么要除以 √d_k（第 \(s.layer) 层）", "Why divide by √d_k (layer \(s.layer))"),
                        subtitle: words("\(tokens) 个 token 的提示，每个头 \(s.heads.first?.pairs ?? 0) 对（i, j ≤ i）的 q_i·k_j；d_k = \(d)，√d_k = \(root)",
                                        "a prompt of \(tokens) tokens, \(s.heads.first?.pairs ?? 0) pairs (i, j ≤ i) of q_i·k_j per head; d_k = \(d), √d_k = \(root)"))
        let parts = Panels.columns(page.body, count: 3, gap: theme.gap * 2)
        var items = Titled(title: words("除之前：Var(q·k)", "before: Var(q·k)"),
                           content: BarChart(labels: labels, values: all.map(\.rawVariance), highlighted: all.count - 1, valueTitle: "Var",
                                             digits: scalingDigits)).draw(in: parts[0], theme: theme)
        items += Titled(title: words("除以 √\(d) = \(root) 之后：Var(q·k/\(root))", "after dividing by √\(d) = \(root): Var(q·k/\(root))"),
                        content: BarChart(labels: labels, values: all.map(\.scaledVariance), highlighted: all.count - 1, valueTitle: "Var",
                                          references: [.init(value: 1, label: "1")], digits: scalingDigits)).draw(in: parts[1], theme: theme)
        items += Titled(title: words("每行 softmax 的最大权重（平均）", "largest softmax weight of a row (mean)"),
                        content: BarChart(labels: labels, values: all.map(\.scaledPeak), highlighted: all.count - 1, valueTitle: words("权重", "weight"),
                                          digits: scalingDigits, marks: all.map(\.rawPeak),
                                          legend: .init(bars: words("除以 √d_k", "divided by √d_k"), marks: words("不除", "not divided"))))
            .draw(in: parts[2], theme: theme)
        let p = s.pooled
        let caption = words(
            "第 \(s.layer) 层 \(s.heads.count) 个头的平均：q·k 的方差是 \(scalingText(p.rawVariance))，除以 √\(d) 后是 \(scalingText(p.scaledVariance))（正好小 \(d) 倍）。不除的话，softmax 给每行最大那一项的权重平均是 \(scalingText(p.rawPeak))，除了之后是 \(scalingText(p.scaledPeak))。",
            "Averaged over the \(s.heads.count) heads of layer \(s.layer): q·k has variance \(scalingText(p.rawVariance)), and \(scalingText(p.scaledVariance)) after dividing by √\(d) (exactly \(d) times smaller). Undivided, softmax would give each row's largest entry a mean weight of \(scalingText(p.rawPeak)); divided, \(scalingText(p.scaledPeak)).")
        let alt = words("三组条形图，按头排列（最后一根是各头的平均）：除以 √d_k 之前和之后的分数方差，以及每行 softmax 最大权重（除与不除）",
                        "Three bar charts by head (the last bar is their mean): the scores' variance before and after dividing by √d_k, and each row's largest softmax weight with and without the division")
        return StageFigure(.scoreScaling, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func scoreScalingFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), l = try layer(p)
        return StageFigures.scoreScaling(ScoreScaling(projection: QKVProjection(trace: trace(ids), layer: l)), tokens: ids.count, theme: theme, words: words)
    }
}
