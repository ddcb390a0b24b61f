import TinyGPT

// Draws every head's softmax pattern (`attentionForward`, Sources/TinyGPT/Kernels/Attention.swift;
// the trace's `blocks.{l}.attn.hook_pattern`) for all layers, with what each head measurably does.

/// What a head's pattern shows, measured: mean weight on the previous token, the first token and itself.
struct HeadBehaviour {
    var previous: Double
    var first: Double
    var current: Double

    init(_ a: [[Double]]) {
        let n = a.count
        let later = max(1, n - 1)
        previous = n > 1 ? (1..<n).reduce(0) { $0 + a[$1][$1 - 1] } / Double(later) : 0
        first = n > 1 ? (1..<n).reduce(0) { $0 + a[$1][0] } / Double(later) : 1
        // Row 0 can only attend to itself, so it says nothing about the head.
        current = n > 1 ? (1..<n).reduce(0) { $0 + a[$1][$1] } / Double(later) : 1
    }

    /// The strongest of the three if it holds at least 40 % of the weight on average, else "mixed".
    func label(_ words: Words) -> String {
        let options = [(previous, words("前一个", "previous")), (first, words("第一个", "first")), (current, words("自己", "self"))]
        let best = options.max { $0.0 < $1.0 }!
        return best.0 >= 0.4 ? "\(best.1) \(Num.fixed(best.0))" : words("分散", "mixed") + " \(Num.fixed(best.0))"
    }
}

extension StageFigures {
    /// An L × H grid of patterns on one 0…1 scale, each titled with its measured behaviour.
    static func headPatterns(tokens: [String], patterns: [[[[Double]]]], theme: Theme, words: Words) -> StageFigure {
        let L = patterns.count, H = patterns.first?.count ?? 0, n = tokens.count
        let behaviours = patterns.map { $0.map(HeadBehaviour.init) }
        let showLabels = n <= 10
        let page = Page(theme: theme, title: words("所有注意力头：\(L) 层 × \(H) 头", "Every attention head: \(L) layers × \(H) heads"),
                        subtitle: words("每格一个头的 softmax 权重（行查询、列键，0…1 同一色标）；小标题是这一句上测得的主要去向（前一个 / 第一个 / 自己 / 分散），不代表整体统计",
                                        "each panel one head's softmax weights (rows queries, columns keys, one 0…1 scale); headings say where the weight goes on this sentence only (previous / first / self / mixed), not over the corpus"))
        let grid = SmallMultiples(rows: L, columns: H, rowHeaders: (0..<L).map { words("第 \($0) 层", "layer \($0)") },
                                  columnHeaders: (0..<H).map { words("头 \($0)", "head \($0)") }) { l, h in
            Titled(title: behaviours[l][h].label(words),
                   content: Heatmap(values: patterns[l][h], rowLabels: showLabels ? tokens : [], columnLabels: showLabels ? tokens : [],
                                    coloring: .sequential(range: 0...1), showValues: n <= 5, digits: 1, showColorBar: false))
        }
        let prev = behaviours.enumerated().flatMap { l, row in row.enumerated().map { (l, $0, $1.previous) } }.max { $0.2 < $1.2 }!
        let first = behaviours.enumerated().flatMap { l, row in row.enumerated().map { (l, $0, $1.first) } }.max { $0.2 < $1.2 }!
        let caption = words(
            "在这个提示上，最像“看前一个 token”的是第 \(prev.0) 层第 \(prev.1) 头（平均 \(Num.percent(prev.2))），最像“看第一个 token”的是第 \(first.0) 层第 \(first.1) 头（\(Num.percent(first.2))）。",
            "On this prompt the most previous-token-like head is layer \(prev.0) head \(prev.1) (\(Num.percent(prev.2)) on average), the most first-token-like is layer \(first.0) head \(first.1) (\(Num.percent(first.2))).")
        let alt = words("\(L)×\(H) 个小热图，每个是一个头的注意力模式", "\(L)×\(H) small heatmaps, one attention pattern per head")
        return StageFigure(.headPatterns, page: page, caption: caption, alt: alt, items: grid.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    /// patterns[layer][head][query][key].
    func patterns(_ ids: [Int]) -> [[[[Double]]]] {
        let t = trace(ids)
        return (0..<config.layers).map { l in (0..<config.heads).map { h in matrix(t[TraceName.pattern(layer: l)]!, h) } }
    }

    func headPatternsFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        return StageFigures.headPatterns(tokens: labels(ids), patterns: patterns(ids), theme: theme, words: words)
    }
}
