import TinyGPT

// Draws the agreement training relies on: `GPT.forward` (Sources/TinyGPT/Model/GPT+Forward.swift)
// computes every position in one pass, `KVCache.appendTraced` (Sources/TinyGPT/Model/KVCache.swift)
// one token at a time, and the rows come out the same.

extension StageFigures {
    /// The same logits from both paths (positions × top tokens) and their difference.
    static func parallelVsSequential(tokens: [String], columns: [String], parallel: [[Double]], sequential: [[Double]],
                                     theme: Theme, words: Words) -> StageFigure
    {
        let diff = zip(parallel, sequential).map { zip($0, $1).map { abs($0 - $1) } }
        let maxDiff = diff.flatMap { $0 }.max() ?? 0
        let page = Page(theme: theme, title: words("训练（并行）与推理（逐个）得到同样的行", "Training (all at once) and inference (one at a time) agree"),
                        subtitle: words("左：一次前向算出全部 \(tokens.count) 个位置；中：KV 缓存每次只算一个新位置；右：差的绝对值，最大 \(NumberFormat.short(maxDiff, digits: 2))",
                                        "left: one forward pass computes all \(tokens.count) positions; middle: the KV cache computes one new position per call; right: |difference|, at most \(NumberFormat.short(maxDiff, digits: 2))"))
        let panels = Panels.columns(page.body, [1, 1, 1], gap: theme.gap * 2)
        let limit = (parallel + sequential).flatMap { $0 }.map(abs).max() ?? 1
        let specs: [(String, [[Double]], Heatmap.Coloring)] = [
            (words("并行：forward(全部)", "parallel: forward(all)"), parallel, .diverging(limit: limit)),
            (words("逐个：KV 缓存", "sequential: KV cache"), sequential, .diverging(limit: limit)),
            (words("|差|", "|difference|"), diff, .sequential(range: 0...max(1e-6, maxDiff))),
        ]
        var items: [Primitive] = []
        for (i, (title, v, coloring)) in specs.enumerated() {
            items += Titled(title: title, content: Heatmap(values: v, rowLabels: tokens, columnLabels: columns, coloring: coloring,
                                                           rowTitle: i == 0 ? words("位置", "position") : nil, columnTitle: words("下一个 token 的 logit", "logit of next token"),
                                                           digits: 2)).draw(in: panels[i], theme: theme)
        }
        let caption = words(
            "同一个提示，训练时一次算出所有位置，生成时一个一个算：每行 logits 最大相差 \(NumberFormat.short(maxDiff, digits: 2))。因果掩码保证位置 t 只用到 t 之前的 token，所以两种算法一致。",
            "The same prompt computed all at once, as in training, and one position at a time, as in generation: the logit rows differ by at most \(NumberFormat.short(maxDiff, digits: 2)). The causal mask makes position t depend only on tokens up to t, so the two agree.")
        let alt = words("三幅热图：并行 logits、逐个 logits、它们的差（全为 0）", "Three heatmaps: parallel logits, sequential logits and their difference (all zero)")
        return StageFigure(.parallelVsSequential, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func parallelVsSequentialFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let full = trace(ids)[TraceName.logits]!
        var cache = KVCache(model: model)
        let rowsSeq = ids.map { cache.appendTraced($0).logits }
        // Columns: the tokens most probable anywhere in the prompt, so the cells are the interesting ones.
        let cols = Array(Sampler.order(Array(full.row(ids.count - 1))).prefix(6))
        let parallel = (0..<ids.count).map { t in cols.map { Double(full.row(t)[full.row(t).startIndex + $0]) } }
        let sequential = rowsSeq.map { r in cols.map { Double(r[$0]) } }
        return StageFigures.parallelVsSequential(tokens: labels(ids), columns: labels(cols), parallel: parallel, sequential: sequential,
                                                 theme: theme, words: words)
    }
}
