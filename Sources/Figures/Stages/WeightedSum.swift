import TinyGPT

// Draws the last step of `attentionForward` (Sources/Kernels/Attention.swift): output
// row i of a head is Σⱼ aᵢⱼ v_j, the value rows weighted by the softmax row.

extension StageFigures {
    /// The weights of query `row` as bars, the weighted value rows, and their sum z_row.
    static func weightedSum(tokens: [String], layer: Int, head: Int, row: Int, weights: [Double], values: [[Double]],
                            z: [Double], theme: Theme, words: Words) -> StageFigure
    {
        let keys = Array(tokens.prefix(row + 1))
        let weighted = (0...row).map { j in values[j].map { $0 * weights[j] } }
        let sum = (0..<z.count).map { c in weighted.reduce(0) { $0 + $1[c] } }
        let diff = zip(sum, z).map { abs($0 - $1) }.max() ?? 0
        let page = Page(theme: theme, title: words("输出 = 值向量的加权和", "Output = weighted sum of value vectors"),
                        subtitle: words("第 \(layer) 层第 \(head) 头，查询「\(tokens[row])」（位置 \(row)）：z = Σ_j a_j·v_j", "layer \(layer), head \(head), query \"\(tokens[row])\" (position \(row)): z = Σ_j a_j·v_j"))
        let panels = Panels.columns(page.body, [1, 2], gap: theme.gap * 3)
        let bars = BarChart(labels: keys, values: Array(weights.prefix(row + 1)), highlighted: weights.prefix(row + 1).indices.max { weights[$0] < weights[$1] },
                            valueTitle: words("注意力权重 a_j", "attention weight a_j"), categoryTitle: words("键", "key"))
        var items = Titled(title: words("softmax 的第 \(row) 行", "softmax row \(row)"), content: bars).draw(in: panels[0], theme: theme)
        let rowLabels = (0...row).map { "\(Num.fixed(weights[$0])) × v(\(keys[$0]))" } + ["Σ = z"]
        let heat = Heatmap(values: weighted + [sum], rowLabels: rowLabels, columnLabels: (0..<z.count).map(String.init),
                           coloring: .diverging(), columnTitle: words("头内维度", "head dimension"), colorBarTitle: words("值", "value"),
                           digits: 2, highlightedRows: [row + 1])
        items += Titled(title: words("加权后的值向量与它们的和", "weighted value rows and their sum"), content: heat).draw(in: panels[1], theme: theme)
        let top = (0...row).max { weights[$0] < weights[$1] }!
        let caption = words(
            "「\(tokens[row])」的输出是 \(row + 1) 个值向量的加权和，「\(keys[top])」的权重最大（\(Num.percent(weights[top]))）；按图重新相加与模型的 hook_z 相差不超过 \(NumberFormat.short(diff, digits: 2))。",
            "The output for \"\(tokens[row])\" is a weighted sum of \(row + 1) value vectors, \"\(keys[top])\" weighing most (\(Num.percent(weights[top]))); adding them up as drawn matches the model's hook_z within \(NumberFormat.short(diff, digits: 2)).")
        let alt = words("左：注意力权重条形图；右：加权后的值向量逐行，最后一行是它们的和", "Left: bars of attention weights; right: the weighted value rows and, last, their sum")
        return StageFigure(.weightedSum, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func weightedSumFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request), l = try layer(p), h = try head(p)
        let row = try p.int("row", default: ids.count - 1, in: 0...(ids.count - 1))
        let t = trace(ids), HS = config.headSize
        let pattern = matrix(t[TraceName.pattern(layer: l)]!, h)
        let v = t[TraceName.v(layer: l)]!, z = t[TraceName.z(layer: l)]!
        let values = (0..<ids.count).map { j in (0..<HS).map { Double(v[j, h, $0]) } }
        let zRow = (0..<HS).map { Double(z[row, h, $0]) }
        return StageFigures.weightedSum(tokens: labels(ids), layer: l, head: h, row: row, weights: pattern[row], values: values,
                                        z: zRow, theme: theme, words: words)
    }
}
