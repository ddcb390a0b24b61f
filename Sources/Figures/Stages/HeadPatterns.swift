import TinyGPT

// Draws every head's softmax pattern (`attentionForward`, Sources/Kernels/Attention.swift;
// the trace's `blocks.{l}.attn.hook_pattern`) for all layers, with what each head measurably does.

/// A panel heading from the same rule as chapter 6's table (`HeadStatistics.classifyHeads`),
/// applied to the rows of this one sentence: the label and its mean weight, or the entropy share.
func headHeading(_ s: HeadStatistic, _ kind: HeadKind, _ words: Words) -> String {
    guard s.rows > 0 else { return "—" }
    switch kind {
    case .previous: return words("前一个", "previous") + " \(Num.fixed(s.previous))"
    case .first: return words("第一个", "first") + " \(Num.fixed(s.first))"
    case .self: return words("自己", "self") + " \(Num.fixed(s.selfWeight))"
    case .diffuse: return words("分散", "diffuse") + " \(Num.fixed(s.entropy))"
    case .mixed: return words("混合", "mixed") + " \(Num.fixed(max(s.previous, s.first, s.selfWeight)))"
    }
}

extension StageFigures {
    /// An L × H grid of patterns on one 0…1 scale, each titled with its measured behaviour.
    static func headPatterns(tokens: [String], patterns: [[[[Double]]]], statistics: [HeadStatistic],
                             theme: Theme, words: Words) -> StageFigure {
        let L = patterns.count, H = patterns.first?.count ?? 0, n = tokens.count
        let kinds = HeadStatistics.classifyHeads(statistics)
        let showLabels = n <= 10
        let page = Page(theme: theme, title: words("所有注意力头：\(L) 层 × \(H) 头", "Every attention head: \(L) layers × \(H) heads"),
                        subtitle: words("每格一个头的 softmax 权重（行查询、列键，0…1）；小标题：第 6 章的规则（> 0.5）只用这一句测得",
                                        "one head's softmax weights per panel (rows queries, columns keys, 0…1); headings: chapter 6's rule (> 0.5) on this sentence only"))
        let grid = SmallMultiples(rows: L, columns: H, rowHeaders: (0..<L).map { words("第 \($0) 层", "layer \($0)") },
                                  columnHeaders: (0..<H).map { words("头 \($0)", "head \($0)") }) { l, h in
            Titled(title: headHeading(statistics[l * H + h], kinds[l * H + h], words),
                   content: Heatmap(values: patterns[l][h], rowLabels: showLabels ? tokens : [], columnLabels: showLabels ? tokens : [],
                                    coloring: .sequential(range: 0...1), showValues: n <= 5, digits: 1, showColorBar: false))
        }
        let prev = statistics.map { ($0.layer, $0.head, $0.previous) }.max { $0.2 < $1.2 }!
        let first = statistics.map { ($0.layer, $0.head, $0.first) }.max { $0.2 < $1.2 }!
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
        let stats = HeadStatistics.measure(traces: [trace(ids)], layers: config.layers, heads: config.heads)
        return StageFigures.headPatterns(tokens: labels(ids), patterns: patterns(ids), statistics: stats, theme: theme, words: words)
    }
}
