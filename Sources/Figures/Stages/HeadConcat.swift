import TinyGPT

// Draws the end of multi-head attention in `GPT.forwardPass` (Sources/TinyGPT/Model/GPT.swift):
// every head's output z_h side by side (concatenation), times W^O (`c_proj`), plus its bias.

extension StageFigures {
    /// The last token's per-head outputs, their concatenation, W^O and the attention output.
    static func headConcat(layer: Int, token: String, heads: [[Double]], concat: [Double], weight: [[Double]], output: [Double],
                           contributions: [Double], theme: Theme, words: Words) -> StageFigure
    {
        let H = heads.count, HS = heads.first?.count ?? 0, C = concat.count
        let page = Page(theme: theme, title: words("多头：拼接各头输出，再乘 W^O", "Multi-head: concatenate the heads, multiply by W^O"),
                        subtitle: words("第 \(layer) 层，最后一个 token「\(token)」：\(H) 个头各 \(HS) 维 → 拼成 \(C) 维 → × W^O (\(C)×\(C)) + b；括号里是每个头经 W^O 后的贡献长度",
                                        "layer \(layer), last token \"\(token)\": \(H) heads of \(HS) → concatenated to \(C) → × W^O (\(C)×\(C)) + b; in brackets, each head's contribution length after W^O"))
        let panels = Panels.columns(page.body, [1.25, 1], gap: theme.gap * 3)
        let strips = Panels.rows(panels[0], Array(repeating: 1, count: H + 2), gap: theme.gap)
        let limit = (heads.flatMap { $0 } + concat).map(abs).max() ?? 1
        var items: [Primitive] = []
        for h in 0..<H {
            items += VectorStrip(values: heads[h], label: "z_\(h)  (\(Num.fixed(contributions[h])))",
                                 coloring: .diverging(limit: limit), maximumCellSize: 16).draw(in: strips[h], theme: theme)
        }
        items += VectorStrip(values: concat, label: words("拼接", "concat"), coloring: .diverging(limit: limit), maximumCellSize: 16)
            .draw(in: strips[H], theme: theme)
        items += VectorStrip(values: output, label: "×W^O + b", coloring: .diverging(), maximumCellSize: 16)
            .draw(in: strips[H + 1], theme: theme)
        items += Titled(title: "W^O (c_proj.weight, \(C)×\(C))",
                        content: Heatmap(values: weight, coloring: .diverging(), rowTitle: words("拼接后的维度", "concatenated dimension"),
                                         columnTitle: words("输出维度", "output dimension"), showValues: false))
            .draw(in: panels[1], theme: theme)
        let top = contributions.indices.max { contributions[$0] < contributions[$1] }!
        let caption = words(
            "\(H) 个头的输出拼成一个 \(C) 维向量，再经 W^O 混合；对「\(token)」来说，头 \(top) 的贡献最大（‖z_h W^O_h‖ = \(Num.fixed(contributions[top]))）。",
            "The \(H) heads' outputs are concatenated into one \(C)-dimensional vector and mixed by W^O; for \"\(token)\" head \(top) contributes most (‖z_h W^O_h‖ = \(Num.fixed(contributions[top]))).")
        let alt = words("向量条：各头输出、拼接后的向量、注意力输出；右边是 W^O 热图", "Vector strips of each head's output, the concatenation and the attention output; W^O as a heatmap")
        return StageFigure(.headConcat, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func headConcatFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), l = try layer(p)
        let t = trace(ids), last = ids.count - 1, H = config.heads, HS = config.headSize, C = config.width
        let z = t[TraceName.z(layer: l)]!, result = t[TraceName.result(layer: l)]!
        let heads = (0..<H).map { h in (0..<HS).map { Double(z[last, h, $0]) } }
        let contributions = (0..<H).map { h in ((0..<C).reduce(0) { $0 + Double(result[last, h, $1]) * Double(result[last, h, $1]) }).squareRoot() }
        let w = model.tensor("h.\(l).attn.c_proj.weight")!
        let weight = (0..<C).map { i in w.row(i).map(Double.init) }
        return StageFigures.headConcat(layer: l, token: labels([ids[last]])[0], heads: heads, concat: heads.flatMap { $0 }, weight: weight,
                                       output: t[TraceName.attnOut(layer: l)]!.row(last).map(Double.init), contributions: contributions,
                                       theme: theme, words: words)
    }
}
