import TinyGPT

// Draws what every `layerNormForward` (Sources/Kernels/LayerNorm.swift) of the forward pass does
// to the last token's length, as `LayerNormNorms` (Sources/TinyGPT/Trace/LayerNormNorms.swift) reads it.

extension StageFigures {
    /// Left: the length of the stream each LayerNorm receives. Right: the length of its output
    /// (bars) and of the standardised z before the gain and bias (outlines), against √C.
    static func layerNormNorms(_ n: LayerNormNorms, token: String, width C: Int, theme: Theme, words: Words) -> StageFigure {
        let labels = n.sites.map { s in s.layer.map { words("块\($0) LN\(s.which)", "b\($0) LN\(s.which)") } ?? "ln_f" }
        let root = blockNormText(n.target)
        let page = Page(theme: theme, title: words("LayerNorm 把长度拉回 √C", "LayerNorm pulls the length back to √C"),
                        subtitle: words("最后一个 token「\(token)」在每个 LayerNorm 处的向量长度；C = \(C)，√C = \(root)",
                                        "the last token \"\(token)\"'s length at every LayerNorm; C = \(C), √C = \(root)"))
        let parts = Panels.columns(page.body, count: 2, gap: theme.gap * 3)
        var items = Titled(title: words("收到的残差流 ‖x‖", "the stream it receives, ‖x‖"),
                           content: BarChart(labels: labels, values: n.sites.map(\.input), highlighted: 0, valueTitle: "‖x‖",
                                             digits: blockNormDigits)).draw(in: parts[0], theme: theme)
        items += Titled(title: words("输出 ‖γ⊙z+β‖（框线：‖z‖）", "its output ‖γ⊙z+β‖ (outlines: ‖z‖)"),
                        content: BarChart(labels: labels, values: n.sites.map(\.output), highlighted: 0, valueTitle: "‖·‖",
                                          references: [.init(value: n.target, label: "√\(C) = \(root)")], digits: blockNormDigits,
                                          marks: n.sites.map(\.standardised),
                                          legend: .init(bars: words("输出 γ⊙z+β", "output γ⊙z+β"), marks: words("z = (x−μ)/σ", "z = (x−μ)/σ"))))
            .draw(in: parts[1], theme: theme)
        let first = n.sites[0]
        let outs = n.sites.map(\.output)
        let caption = words(
            "第 0 块的 LN1 收到长度 \(blockNormText(first.input)) 的向量；减去均值、除以标准差后 ‖z‖ = \(blockNormText(first.standardised))，几乎正好是 √\(C) = \(root)；乘上学到的 γ、加上 β 之后是 \(blockNormText(first.output))。所有 LayerNorm 的输出长度在 \(blockNormText(outs.min()!)) 到 \(blockNormText(outs.max()!)) 之间。",
            "Block 0's LN1 receives a vector of length \(blockNormText(first.input)); minus its mean and divided by its standard deviation it is ‖z‖ = \(blockNormText(first.standardised)), almost exactly √\(C) = \(root); times the learned γ plus β it is \(blockNormText(first.output)). Every LayerNorm's output lies between \(blockNormText(outs.min()!)) and \(blockNormText(outs.max()!)).")
        let alt = words("两组条形图，每个 LayerNorm 一根：输入长度，以及输出长度与 z 的长度（参考线 √C）：",
                        "Two bar charts, one bar per LayerNorm: the input's length, and the output's and z's length against √C: ")
            + zip(labels, n.sites).map { "\($0) \(blockNormText($1.input)) → \(blockNormText($1.output))" }.joined(separator: words("；", "; "))
        return StageFigure(.layerNormNorms, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func layerNormNormsFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), last = ids.count - 1
        return StageFigures.layerNormNorms(LayerNormNorms(trace: trace(ids), model: model, position: last), token: labels([ids[last]])[0],
                                           width: config.width, theme: theme, words: words)
    }
}
