import TinyGPT

// Draws what `KVCache` (Sources/TinyGPT/Model/KVCache.swift) keeps and what `DecodingCost`
// (Sources/TinyGPT/Model/KVCache+Cost.swift) counts: per decoding step, the key/value rows read
// from the cache, the one computed new, and the multiply-adds with and without the cache.

/// One decoding run as the cache sees it: the tokens fed, the steps, and the cached keys and
/// values (position × C) of one block.
struct CacheRun {
    var tokens: [String]
    var steps: [DecodingCost.Step]
    var keys: [[Double]]
    var values: [[Double]]
    var layer: Int
    /// The head whose slice (head size columns) the walkthrough frames show.
    var head: Int = 0
    var headSize: Int = 0

    var cachedTotal: Int { steps.reduce(0) { $0 + $1.cached } }
    var uncachedTotal: Int { steps.reduce(0) { $0 + $1.uncached } }
}

extension StageFigures {
    /// `1,234,567` multiply-adds as `1.23 M`.
    static func millions(_ n: Int) -> String { NumberFormat.short(Double(n) / 1e6, digits: 3) + " M" }

    /// Steps × positions: which rows each step computes new and which it reads from the cache;
    /// beside it the multiply-adds per step, with and without the cache.
    static func kvCache(_ run: CacheRun, theme: Theme, words: Words) -> StageFigure {
        let n = run.steps.last.map { $0.length } ?? 0, S = run.steps.count
        let grid = run.steps.map { s in (0..<n).map { $0 < s.length ? (s.newRows.contains($0) ? 1.0 : 0.25) : Double.nan } }
        let marks = run.steps.map { s in (0..<n).map { $0 < s.length ? (s.newRows.contains($0) ? words("新", "new") : "") : "" } }
        let rowLabels = run.steps.map { words("第 \($0.step) 步", "step \($0.step)") }
        let ratio = Double(run.uncachedTotal) / Double(max(1, run.cachedTotal))
        let page = Page(theme: theme, title: words("键值缓存（KV cache）", "The key/value cache"),
                        subtitle: words("每一步只为新 token 算一行 K、V，其余从缓存读出；\(S) 步共 \(Num.grouped(run.cachedTotal)) 次乘加，不用缓存要 \(Num.grouped(run.uncachedTotal))（\(Num.fixed(ratio, 1)) 倍）",
                                        "each step computes K and V for the new token only and reads the rest from the cache; \(S) steps take \(Num.grouped(run.cachedTotal)) multiply-adds, \(Num.grouped(run.uncachedTotal)) without the cache (\(Num.fixed(ratio, 1))×)"))
        let parts = Panels.columns(page.body, [3, 2], gap: theme.gap * 2)
        let heat = Heatmap(values: grid, rowLabels: rowLabels, columnLabels: run.tokens, coloring: .sequential(range: 0...1),
                           columnTitle: words("缓存中的 K、V 行（按位置）", "K and V rows in the cache (by position)"), showColorBar: false,
                           cellLabels: marks, outlineCells: true)
        var items = Titled(title: words("亮：本步新算　暗：从缓存读出", "bright: computed this step · dark: read from the cache"), content: heat)
            .draw(in: parts[0], theme: theme)
        let x = run.steps.map { Double($0.step) }
        let chart = LineChart(series: [LineSeries(name: words("不用缓存", "without cache"), x: x, y: run.steps.map { Double($0.uncached) / 1e6 }),
                                       LineSeries(name: words("用缓存", "with cache"), x: x, y: run.steps.map { Double($0.cached) / 1e6 })],
                              xTitle: words("生成步", "decoding step"), yTitle: words("乘加次数（百万）", "multiply-adds (millions)"))
        items += Titled(title: words("每步的乘加次数", "multiply-adds per step"), content: chart).draw(in: parts[1], theme: theme)
        let last = run.steps[S - 1]
        let caption = words(
            "最后一步（第 \(last.step) 步）复用 \(last.reusedRows.count) 行、新算 \(last.newRows.count) 行：用缓存 \(millions(last.cached)) 次乘加，不用缓存 \(millions(last.uncached))；\(S) 步合计省下 \(Num.fixed(ratio, 1)) 倍。",
            "The last step (step \(last.step)) reuses \(last.reusedRows.count) rows and computes \(last.newRows.count) new: \(millions(last.cached)) multiply-adds with the cache, \(millions(last.uncached)) without; over \(S) steps the cache saves a factor of \(Num.fixed(ratio, 1)).")
        let alt = words("网格：行是生成步，列是位置，标“新”的格子是本步新算的 K、V 行；折线图：每步乘加次数，用缓存 ",
                        "Grid: rows are decoding steps, columns positions, cells marked new are the K and V rows computed that step; line chart of multiply-adds per step, with the cache ")
            + run.steps.map { millions($0.cached) }.joined(separator: ", ") + words("；不用缓存 ", "; without ") + run.steps.map { millions($0.uncached) }.joined(separator: ", ")
        return StageFigure(.kvCache, page: page, caption: caption, alt: alt, items: items)
    }

    /// Frame `s` of the walkthrough: head `head`'s slice of block `layer`'s cached K and V
    /// after step s (later positions still empty, so every frame has the same grid), the new
    /// rows outlined, and the step's multiply-adds.
    static func kvCacheFrame(_ run: CacheRun, step index: Int, theme: Theme, words: Words) -> StageFigure {
        let s = run.steps[index], n = run.tokens.count
        let columns = (run.head * run.headSize)..<((run.head + 1) * run.headSize)
        let page = Page(theme: theme, title: words("键值缓存，第 \(s.step) 步（共 \(run.steps.count) 步）", "The key/value cache, step \(s.step) of \(run.steps.count)"),
                        subtitle: words("第 \(run.layer) 块第 \(run.head) 头的 K、V：复用 \(s.reusedRows.count) 行，新算 \(s.newRows.count) 行（框出）",
                                        "block \(run.layer), head \(run.head)'s K and V: \(s.reusedRows.count) rows reused, \(s.newRows.count) computed new (outlined)"))
        let parts = Panels.rows(page.body, [6, 1], gap: theme.gap)
        let halves = Panels.columns(parts[0], count: 2, gap: theme.gap * 2)
        var items: [Primitive] = []
        for (i, (name, matrix)) in [("K", run.keys), ("V", run.values)].enumerated() {
            // Each over its own whole run, so the colours of a row do not change between frames.
            let limit = matrix.flatMap { Array($0[columns]) }.reduce(0) { max($0, abs($1)) }
            let shown = (0..<n).map { r in r < s.length ? Array(matrix[r][columns]) : Array(repeating: Double.nan, count: columns.count) }
            let heat = Heatmap(values: shown, rowLabels: run.tokens, coloring: .diverging(limit: limit), showValues: false,
                               maximumCellSize: 24, highlightedRows: Array(s.newRows), outlineCells: true)
            items += Titled(title: words("缓存中的 \(name)：\(s.length) 行（每行 \(columns.count) 维）", "cached \(name): \(s.length) rows (\(columns.count) dimensions each)"),
                            content: heat).draw(in: halves[i], theme: theme)
        }
        let ratio = Double(s.uncached) / Double(max(1, s.cached))
        let line = words("本步乘加：用缓存 \(millions(s.cached))，不用缓存 \(millions(s.uncached))（\(Num.fixed(ratio, 1)) 倍）",
                         "this step: \(millions(s.cached)) multiply-adds with the cache, \(millions(s.uncached)) without (\(Num.fixed(ratio, 1))×)")
        items += TextBlock(lines: [line]).draw(in: parts[1], theme: theme)
        let new = s.newRows.count == 1 ? "「\(run.tokens[s.newRows.lowerBound])」" : "整个提示"
        let newEn = s.newRows.count == 1 ? "\"\(run.tokens[s.newRows.lowerBound])\"" : "the whole prompt"
        let caption = words("第 \(s.step) 步为\(new)新算 \(s.newRows.count) 行 K 和 V，从缓存读出 \(s.reusedRows.count) 行；\(line)。",
                            "Step \(s.step) computes \(s.newRows.count) new K and V \(s.newRows.count == 1 ? "row" : "rows") for \(newEn) and reads \(s.reusedRows.count) from the cache; \(line).")
        let alt = words("两张热图：缓存中的 K 和 V，行是位置，新算的行被框出", "Two heatmaps: the cached K and V, rows are positions, the new rows outlined")
        return StageFigure(.kvCacheStep, name: "kvCacheStep-" + (s.step < 10 ? "0" : "") + String(s.step), page: page,
                           caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// The request's decoding (greedy, 6 tokens, when none or beam is given: the cache figure
    /// follows one sequence), the steps it took, and block `layer`'s keys and values.
    func cacheRun(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> CacheRun {
        let layer = try self.layer(p)
        let head = request.stage == .kvCacheStep ? try self.head(p) : 0
        let ids = try generationPromptIDs(request)
        var o = request.options ?? GenerationOptions(strategy: .greedy, maxTokens: 6)
        if o.strategy == .beam { o = GenerationOptions(strategy: .greedy, maxTokens: o.maxTokens) }
        let g = try generation(ids, o)
        guard !g.ids.isEmpty else { throw UserError("stage \(request.stage.rawValue): the decoding generated no token, so no step used the cache") }
        // The cache holds every token fed: the prompt and all chosen tokens but the last.
        let fed = ids + g.ids.dropLast()
        let t = trace(fed)
        func rows(_ name: String) -> [[Double]] {
            let x = t[name]!, C = config.width
            return (0..<fed.count).map { i in (0..<C).map { Double(x.data[i * C + $0]) } }
        }
        let k = config.positional == .rope ? TraceName.rotK(layer: layer) : TraceName.k(layer: layer)
        return CacheRun(tokens: labels(fed), steps: DecodingCost.steps(config, promptLength: ids.count, generated: g.ids.count),
                        keys: rows(k), values: rows(TraceName.v(layer: layer)), layer: layer, head: head, headSize: config.headSize)
    }

    func kvCacheFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        StageFigures.kvCache(try cacheRun(request, p), theme: theme, words: words)
    }

    /// One frame per generated token (the data sets the count; `frame` picks one).
    func kvCacheFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let run = try cacheRun(request, p)
        let which = p.has("frame") ? [try p.int("frame", default: 1, in: 1...run.steps.count)] : Array(1...run.steps.count)
        return which.map { StageFigures.kvCacheFrame(run, step: $0 - 1, theme: theme, words: words) }
    }
}
