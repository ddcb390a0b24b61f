import TinyGPT

// Draws the residual stream `GPT.forwardPass` (Sources/TinyGPT/Model/GPT.swift) carries through
// the blocks: the norm of every position's vector entering and leaving each block.

extension StageFigures {
    /// ‖x‖ per position (columns) after the embedding and after each block (rows).
    static func residualStream(tokens: [String], norms: [[Double]], theme: Theme, words: Words) -> StageFigure {
        let L = norms.count - 1
        let rowLabels = [words("嵌入 + 位置", "embedding + position")] + (0..<L).map { words("第 \($0) 块之后", "after block \($0)") }
        let heat = Heatmap(values: norms, rowLabels: rowLabels, columnLabels: tokens, coloring: .sequential(),
                           columnTitle: words("位置上的 token", "token at each position"), colorBarTitle: "‖x‖", digits: 2)
        let growth = zip(norms.first!, norms.last!).map { $1 / max($0, 1e-9) }
        let mean = growth.reduce(0, +) / Double(max(1, growth.count))
        let page = Page(theme: theme, title: words("残差流穿过各个块", "The residual stream through the blocks"),
                        subtitle: words("每个位置的向量长度 ‖x‖：每个块把注意力和 MLP 的输出加进来", "length ‖x‖ of each position's vector; every block adds its attention and MLP outputs"))
        let caption = words(
            "每个块都往残差流里加东西：经过 \(L) 个块后，向量平均变为原来的 \(Num.fixed(mean)) 倍长（最后一个位置从 \(Num.fixed(norms.first!.last!)) 到 \(Num.fixed(norms.last!.last!))）。",
            "Every block adds to the residual stream: after \(L) blocks the vectors are on average \(Num.fixed(mean))× as long (the last position goes from \(Num.fixed(norms.first!.last!)) to \(Num.fixed(norms.last!.last!))).")
        let alt = words("热图：行是块，列是 token，颜色和数字是向量长度", "Heatmap: rows are blocks, columns tokens, colour and numbers the vector length")
        return StageFigure(.residualStream, page: page, caption: caption, alt: alt, items: heat.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func residualStreamFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let t = trace(ids)
        let names = [TraceName.residPre(layer: 0)] + (0..<config.layers).map { TraceName.residPost(layer: $0) }
        let norms = names.map { name in (0..<ids.count).map { i in (t[name]!.row(i).reduce(0) { $0 + Double($1) * Double($1) }).squareRoot() } }
        return StageFigures.residualStream(tokens: labels(ids), norms: norms, theme: theme, words: words)
    }
}
