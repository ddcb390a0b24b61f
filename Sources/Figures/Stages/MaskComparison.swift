import TinyGPT

// Draws the masks of the three transformer families side by side: GPT's causal mask (what
// `attentionForward`, Sources/Kernels/Attention.swift, applies), BERT's full attention,
// and an encoder–decoder's cross-attention.

extension StageFigures {
    /// Causal, bidirectional and cross-attention masks over the same tokens.
    static func maskComparison(tokens: [String], decoder: [String], theme: Theme, words: Words) -> StageFigure {
        let n = tokens.count
        let page = Page(theme: theme, title: words("GPT 与 BERT：谁能看见谁", "GPT vs BERT: who may see whom"),
                        subtitle: words("行是查询、列是键；灰色斜线格是 −∞（看不见）", "rows are queries, columns keys; hatched cells are −∞ (hidden)"))
        let panels = Panels.columns(page.body, count: 3, gap: theme.gap * 3)
        let specs: [(String, MaskKind, [String])] = [
            (words("GPT：因果（只看左边）", "GPT: causal (left only)"), .causal, tokens),
            (words("BERT：双向（全都看）", "BERT: bidirectional (all)"), .bidirectional, tokens),
            (words("编码器–解码器：交叉注意力", "encoder–decoder: cross-attention"), .cross, decoder),
        ]
        var items: [Primitive] = []
        for (i, (title, kind, rows)) in specs.enumerated() {
            let grid = MaskGrid(allowed: kind.allowed(queries: rows.count, keys: n), rowLabels: rows, columnLabels: tokens,
                                rowTitle: i == 2 ? words("解码器查询", "decoder query") : words("查询", "query"),
                                columnTitle: i == 2 ? words("编码器的键", "encoder key") : words("键", "key"), maximumCellSize: 36)
            items += Titled(title: title, content: grid).draw(in: panels[i], theme: theme)
        }
        let hidden = n * (n - 1) / 2
        let caption = words(
            "同样 \(n) 个 token：GPT 挡住 \(hidden) 个格子，每个位置只能看前文，所以能逐词生成；BERT 一个也不挡，适合理解整句；编码器–解码器里解码器的每个位置都能看编码器的全部 \(n) 个位置。",
            "The same \(n) tokens: GPT hides \(hidden) cells so each position sees only what came before, which lets it generate word by word; BERT hides none and reads the whole sentence; in an encoder–decoder every decoder position reads all \(n) encoder positions.")
        let alt = words("三个掩码矩阵：下三角、全开、矩形全开", "Three mask matrices: lower-triangular, all open, and a rectangular all-open cross-attention mask")
        return StageFigure(.maskComparison, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func maskComparisonFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let names = try maskLabels(request, p, defaultLength: 6)
        let decoder = (0..<max(2, min(4, names.count))).map { "y\($0 + 1)" }
        return StageFigures.maskComparison(tokens: names, decoder: decoder, theme: theme, words: words)
    }
}
