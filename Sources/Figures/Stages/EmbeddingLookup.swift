import TinyGPT

// Draws what `embeddingForward` (Sources/Kernels/Embedding.swift) reads: row id of W_E
// for every token of the prompt (the trace's `hook_embed`).

extension StageFigures {
    /// The prompt's rows of W_E, first `columns` dimensions, on a diverging scale.
    static func embeddingLookup(tokens: [String], ids: [Int], rows: [[Double]], columns: Int, shape: (Int, Int),
                                theme: Theme, words: Words) -> StageFigure
    {
        let shown = rows.map { Array($0.prefix(columns)) }
        let norms = rows.map { ($0.reduce(0) { $0 + $1 * $1 }).squareRoot() }
        let rowLabels = zip(tokens, ids).map { "\($0)  #\($1)" }
        let heat = Heatmap(values: shown, rowLabels: rowLabels, columnLabels: (0..<columns).map { "d\($0)" },
                           coloring: .diverging(), rowTitle: words("token（id = W_E 的行号）", "token (id = row of W_E)"),
                           columnTitle: words("嵌入维度", "embedding dimension"), colorBarTitle: words("值", "value"), digits: 2)
        let page = Page(theme: theme, title: words("词嵌入查表：W_E 的行", "Embedding lookup: rows of W_E"),
                        subtitle: words("W_E 是 \(shape.0)×\(shape.1)；每个 token 取出第 id 行；这里显示 \(shape.1) 维中的前 \(columns) 维",
                                        "W_E is \(shape.0)×\(shape.1); each token reads row id; showing the first \(columns) of \(shape.1) dimensions"))
        let big = norms.indices.max { norms[$0] < norms[$1] }!
        let caption = words(
            "提示的 \(tokens.count) 个 token 各取出 W_E 的一行（\(shape.1) 个数）；「\(tokens[big])」的向量最长，‖e‖ = \(Num.fixed(norms[big]))。",
            "Each of the prompt's \(tokens.count) tokens reads one row of W_E (\(shape.1) numbers); \"\(tokens[big])\" has the longest vector, ‖e‖ = \(Num.fixed(norms[big])).")
        let alt = words("热图：每行是一个 token 的嵌入向量前 \(columns) 维，蓝负红正", "Heatmap: each row is a token's embedding, first \(columns) dimensions, blue negative and red positive")
        return StageFigure(.embeddingLookup, page: page, caption: caption, alt: alt, items: heat.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func embeddingLookupFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let cols = try p.int("columns", default: 16, in: 1...config.width)
        return StageFigures.embeddingLookup(tokens: labels(ids), ids: ids, rows: rows(trace(ids)[TraceName.embed]!), columns: cols,
                                            shape: (config.vocabSize, config.width), theme: theme, words: words)
    }
}
