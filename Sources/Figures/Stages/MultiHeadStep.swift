import TinyGPT

// A walkthrough of multi-head attention in `GPT.forwardPass` (Sources/TinyGPT/Model/GPT.swift):
// one frame per head of a layer (its pattern and its output), then the concatenation and W^O.

extension StageFigures {
    static func multiHeadFrame(name: String, slice a: AttentionSlice, statistic b: HeadStatistic, heads: Int, z: [Double],
                               frame: Int, frames: Int, theme: Theme, words: Words) -> StageFigure
    {
        let n = a.tokens.count
        let heading = headHeading(b, HeadStatistics.classifyHeads([b])[0], words)
        let page = Page(theme: theme, title: words("多头注意力（\(frame)/\(frames)）：第 \(a.layer) 层的头 \(a.head)", "Multi-head attention (\(frame)/\(frames)): layer \(a.layer), head \(a.head)"),
                        subtitle: words("\(heads) 个头各有自己的 W_Q、W_K、W_V，看同一句话的不同地方；这个头在这一句上：\(heading)",
                                        "each of \(heads) heads has its own W_Q, W_K, W_V and looks at different places; this head on this sentence: \(heading)"))
        let parts = Panels.rows(page.body, [4, 1], gap: theme.gap * 2)
        var items = Titled(title: words("头 \(a.head) 的注意力权重", "head \(a.head)'s attention weights"),
                           content: Heatmap(values: a.pattern, rowLabels: a.tokens, columnLabels: a.tokens, coloring: .sequential(range: 0...1),
                                            rowTitle: words("查询", "query"), columnTitle: words("键", "key"), colorBarTitle: words("权重", "weight"), digits: 2))
            .draw(in: parts[0], theme: theme)
        items += VectorStrip(values: z, label: words("「\(a.tokens[n - 1])」的输出 z_\(a.head)", "output z_\(a.head) of \"\(a.tokens[n - 1])\""), maximumCellSize: 22)
            .draw(in: parts[1], theme: theme)
        // Measured on this prompt's rows 2…n−1 only (where first, previous and own key differ), not
        // chapter 6's held-out measurement; a prompt of under 3 tokens has no such row.
        let caption = b.rows == 0
            ? words("头 \(a.head)：这句话只有 \(n) 个 token，没有位置 2 起的查询行，这里不统计它偏向哪个键；右下是「\(a.tokens[n - 1])」的输出 z_\(a.head)。",
                    "Head \(a.head): this prompt has only \(n) tokens, no query row from position 2 on, so no preference is measured here; below, the output z_\(a.head) of \"\(a.tokens[n - 1])\".")
            : words("头 \(a.head)，只看这句话的查询位置 2…\(n - 1)（\(b.rows) 行）：平均 \(Num.percent(b.previous)) 的权重给前一个 token，\(Num.percent(b.first)) 给第一个，\(Num.percent(b.selfWeight)) 给自己。这只是这一句，不是第 6 章在留出文本上的测量。",
                    "Head \(a.head), on this prompt's query positions 2…\(n - 1) only (\(b.rows) rows): on average \(Num.percent(b.previous)) of the weight on the previous token, \(Num.percent(b.first)) on the first, \(Num.percent(b.selfWeight)) on itself. One prompt only, not chapter 6's held-out measurement.")
        let alt = words("头 \(a.head) 的注意力热图和它对最后一个 token「\(a.tokens[n - 1])」的输出向量", "Head \(a.head)'s attention heatmap and its output vector for the last token \"\(a.tokens[n - 1])\"")
        return StageFigure(.multiHeadStep, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func multiHeadFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try promptIDs(request), l = try layer(p), H = config.heads
        let (frames, which) = try frameRange(p, available: H + 1)
        let z = trace(ids)[TraceName.z(layer: l)]!
        let stats = HeadStatistics.measure(traces: [trace(ids)], layers: config.layers, heads: H)
        var out: [StageFigure] = []
        for f in which {
            let i = min(H, (f - 1) * (H + 1) / frames)
            if i == H {
                var fig = try headConcatFigure(request, p)
                fig.name = frameName(.multiHeadStep, f)
                out.append(fig)
            } else {
                out.append(StageFigures.multiHeadFrame(name: frameName(.multiHeadStep, f), slice: attentionSlice(ids, layer: l, head: i),
                                                       statistic: stats[l * H + i], heads: H,
                                                       z: (0..<config.headSize).map { Double(z[ids.count - 1, i, $0]) }, frame: f, frames: frames,
                                                       theme: theme, words: words))
            }
        }
        return out
    }
}
