import TinyGPT

// Draws one transformer block of `GPT.forwardPass` (Sources/TinyGPT/Model/GPT.swift) step by
// step for the prompt's last token: LayerNorm, attention, residual, LayerNorm, MLP, residual.

extension StageFigures {
    /// Significant digits of the lengths the figure prints (the lesson prints them the same way).
    public static let blockNormDigits = 3

    /// A length as the figure prints it over its bar: `1.2`, `0.832`, `7.76`.
    public static func blockNormText(_ v: Double) -> String { NumberFormat.short(v, digits: blockNormDigits) }

    /// The last token's vector after each step of block `layer`, one row per step; `norms` are `BlockSteps.norms`.
    static func blockSteps(layer: Int, token: String, steps: [(name: String, vector: [Double])], norms: [Double], theme: Theme, words: Words) -> StageFigure {
        let heat = Heatmap(values: steps.map(\.vector), rowLabels: steps.map(\.name), columnLabels: (0..<(steps.first?.vector.count ?? 0)).map(String.init),
                           coloring: .diverging(), columnTitle: words("维度", "dimension"), colorBarTitle: words("值", "value"),
                           showValues: false, maximumCellSize: 40)
        let page = Page(theme: theme, title: words("一个块，一步一步（第 \(layer) 层）", "One block, step by step (layer \(layer))"),
                        subtitle: words("最后一个 token「\(token)」的向量：x → LN → 注意力 → +x → LN → MLP → +x",
                                        "the last token \"\(token)\": x → LN → attention → +x → LN → MLP → +x"))
        let caption = words(
            "第 \(layer) 层把「\(token)」的残差向量从 ‖x‖ = \(blockNormText(norms.first!)) 变成 \(blockNormText(norms.last!))：注意力加上 ‖·‖ = \(blockNormText(norms[2])) 的一份，MLP 加上 \(blockNormText(norms[5])) 的一份。",
            "Layer \(layer) takes \"\(token)\"'s residual vector from ‖x‖ = \(blockNormText(norms.first!)) to \(blockNormText(norms.last!)): attention adds a part of norm \(blockNormText(norms[2])), the MLP one of \(blockNormText(norms[5])).")
        let alt = words("热图：一个块的七个步骤，每行是同一个 token 的 64 维向量", "Heatmap: seven steps of one block, each row the same token's vector")
        let parts = Panels.rows(page.body, [1.3, 1], gap: theme.gap * 2)
        var items = Titled(title: words("每一步之后的向量", "the vector after each step"), content: heat).draw(in: parts[0], theme: theme)
        items += Titled(title: words("它的长度 ‖·‖", "its length ‖·‖"),
                        content: BarChart(labels: steps.map(\.name), values: norms, valueTitle: "‖·‖", digits: blockNormDigits)).draw(in: parts[1], theme: theme)
        return StageFigure(.blockSteps, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func blockStepsFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), l = try layer(p)
        let last = ids.count - 1
        let b = BlockSteps(trace: trace(ids), layer: l, position: last)
        let names = [words("x 进入", "x in"), "LN1(x)", words("注意力输出", "attention out"), "x + attn", "LN2",
                     words("MLP 输出", "MLP out"), words("x 离开", "x out")]
        let steps = zip(names, b.vectors).map { (name: $0, vector: $1.map(Double.init)) }
        return StageFigures.blockSteps(layer: l, token: labels([ids[last]])[0], steps: steps, norms: b.norms, theme: theme, words: words)
    }
}
