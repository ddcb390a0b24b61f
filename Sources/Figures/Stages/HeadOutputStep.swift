import TinyGPT

// A walkthrough of the end of multi-head attention in `GPT.forwardPass` (Sources/TinyGPT/Model/GPT.swift):
// each head's output z_h, one frame per head filling its columns of the concatenation, then the
// whole concatenation, then × W^O + b (`c_proj`), which is the trace's hook_attn_out.

/// One layer's head outputs and what `c_proj` makes of them, recomputed in Double from hook_z.
struct HeadOutputs {
    var layer: Int
    var tokens: [String]
    /// `heads[h][t]`: z of head h at position t (head size numbers).
    var heads: [[[Double]]]
    /// Row t: the heads' z side by side (width numbers).
    var concat: [[Double]]
    /// concat · W^O + b.
    var output: [[Double]]
    /// max |output − hook_attn_out|.
    var difference: Double
}

extension StageFigures {
    static func headOutputFrame(name: String, outputs o: HeadOutputs, weight: [[Double]], index i: Int, frame: Int, frames: Int,
                                theme: Theme, words: Words) -> StageFigure
    {
        func norm(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 }).squareRoot() }
        let H = o.heads.count, n = o.tokens.count, HS = o.heads[0][0].count, C = o.concat[0].count, last = o.tokens[n - 1]
        let stepName = i < H ? words("头 \(i) 的输出 z_\(i)", "head \(i)'s output z_\(i)") : i == H ? words("拼接", "concatenation") : "× W^O + b"
        let page = Page(theme: theme, title: words("各头的输出（\(frame)/\(frames)）：", "Head outputs (\(frame)/\(frames)): ") + stepName,
                        subtitle: words("第 \(o.layer) 层：\(H) 个头各给每个位置 \(HS) 维的 z，拼成 \(C) 维，再乘 W^O (\(C)×\(C)) 加 b",
                                        "layer \(o.layer): each of \(H) heads gives every position \(HS) numbers z; side by side they make \(C), then × W^O (\(C)×\(C)) + b"))
        let panels = Panels.columns(page.body, [1, 2.4], gap: theme.gap * 3)
        let limit = (o.concat.flatMap { $0 }).map(abs).max() ?? 1
        func heat(_ values: [[Double]], _ limit: Double?, columns: [String], title: String) -> Heatmap {
            Heatmap(values: values, rowLabels: o.tokens, columnLabels: columns, coloring: .diverging(limit: limit), rowTitle: words("位置", "position"),
                    columnTitle: title, colorBarTitle: words("值", "value"), showValues: false)
        }
        let dims = (0..<C).map(String.init)
        var items: [Primitive] = []
        let caption: String, alt: String
        if i < H {
            let z = o.heads[i][n - 1], j = z.indices.max { abs(z[$0]) < abs(z[$1]) }!
            items += Titled(title: "z_\(i) (\(n)×\(HS))", content: heat(o.heads[i], limit, columns: (0..<HS).map(String.init), title: words("维度", "dimension")))
                .draw(in: panels[0], theme: theme)
            let filled = o.concat.map { row in row.enumerated().map { $0 < (i + 1) * HS ? $1 : Double.nan } }
            items += Titled(title: words("拼接：头 0…\(i) 已放入", "concatenation: heads 0…\(i) in place"), content: heat(filled, limit, columns: dims, title: words("拼接后的维度", "concatenated dimension")))
                .draw(in: panels[1], theme: theme)
            caption = words("头 \(i) 的输出 z_\(i) 是 \(n)×\(HS)；最后一个 token「\(last)」的 ‖z_\(i)‖ = \(Num.fixed(norm(z)))，绝对值最大的是第 \(j) 维（\(Num.fixed(z[j], 3))）；它占拼接的第 \(i * HS)…\(i * HS + HS - 1) 列。",
                            "Head \(i)'s output z_\(i) is \(n)×\(HS); for the last token \"\(last)\" ‖z_\(i)‖ = \(Num.fixed(norm(z))), largest in dimension \(j) (\(Num.fixed(z[j], 3))); it fills columns \(i * HS)…\(i * HS + HS - 1) of the concatenation.")
            alt = words("左：头 \(i) 的 \(n)×\(HS) 输出热图；右：拼接矩阵，头 0 到 \(i) 的列已填", "Left: head \(i)'s \(n)×\(HS) output heatmap; right: the concatenation with the columns of heads 0 to \(i) filled")
        } else if i == H {
            items += Titled(title: words("拼接 (\(n)×\(C))", "concatenation (\(n)×\(C))"), content: heat(o.concat, limit, columns: dims, title: words("拼接后的维度", "concatenated dimension")))
                .draw(in: page.body, theme: theme)
            caption = words("\(H) 个头并排拼成 \(n)×\(C)；「\(last)」这一行长 \(Num.fixed(norm(o.concat[n - 1])))，就是各头 ‖z_h‖ 的平方和开方。",
                            "The \(H) heads side by side make \(n)×\(C); the row of \"\(last)\" has length \(Num.fixed(norm(o.concat[n - 1]))), the root of the heads' summed ‖z_h‖².")
            alt = words("拼接后的 \(n)×\(C) 热图，\(H) 个头的列依次排开", "The \(n)×\(C) concatenation heatmap, the \(H) heads' columns one after another")
        } else {
            let y = o.output[n - 1]
            items += Titled(title: "W^O (c_proj.weight, \(C)×\(C))",
                            content: Heatmap(values: weight, coloring: .diverging(), rowTitle: words("拼接后的维度", "concatenated dimension"),
                                             columnTitle: words("输出维度", "output dimension"), showValues: false))
                .draw(in: panels[0], theme: theme)
            items += Titled(title: words("拼接 × W^O + b = 注意力输出 (\(n)×\(C))", "concat × W^O + b = attention output (\(n)×\(C))"),
                            content: heat(o.output, nil, columns: dims, title: words("输出维度", "output dimension")))
                .draw(in: panels[1], theme: theme)
            caption = words("乘 W^O 再加 b 得到注意力输出：「\(last)」这一行长 \(Num.fixed(norm(y)))，第 0 维 \(Num.fixed(y[0], 3))；与模型的 hook_attn_out 相差不超过 \(NumberFormat.short(o.difference, digits: 2))。",
                            "× W^O + b gives the attention output: the row of \"\(last)\" has length \(Num.fixed(norm(y))), dimension 0 is \(Num.fixed(y[0], 3)); it matches the model's hook_attn_out within \(NumberFormat.short(o.difference, digits: 2)).")
            alt = words("左：W^O 热图；右：\(n)×\(C) 的注意力输出热图", "Left: the W^O heatmap; right: the \(n)×\(C) attention output heatmap")
        }
        return StageFigure(.headOutputStep, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// Layer `l`'s head outputs from hook_z, concatenated and multiplied by c_proj here (not read back).
    func headOutputs(_ ids: [Int], layer l: Int) -> (outputs: HeadOutputs, weight: [[Double]]) {
        let t = trace(ids), n = ids.count, H = config.heads, HS = config.headSize, C = config.width
        let z = t[TraceName.z(layer: l)]!, attnOut = t[TraceName.attnOut(layer: l)]!
        let w = model.tensor("h.\(l).attn.c_proj.weight")!, b = model.tensor("h.\(l).attn.c_proj.bias")!
        let weight = (0..<C).map { i in w.row(i).map(Double.init) }   // [input, output]
        let heads = (0..<H).map { h in (0..<n).map { p in (0..<HS).map { Double(z[p, h, $0]) } } }
        let concat = (0..<n).map { p in heads.flatMap { $0[p] } }
        let output = concat.map { x in (0..<C).map { j in (0..<C).reduce(Double(b.data[j])) { $0 + x[$1] * weight[$1][j] } } }
        var difference = 0.0
        for p in 0..<n { for j in 0..<C { difference = max(difference, abs(output[p][j] - Double(attnOut[p, j]))) } }
        return (HeadOutputs(layer: l, tokens: labels(ids), heads: heads, concat: concat, output: output, difference: difference), weight)
    }

    func headOutputFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try promptIDs(request), H = config.heads
        let (o, weight) = headOutputs(ids, layer: try layer(p))
        let (frames, which) = try frameRange(p, available: H + 2)
        return which.map { f in
            StageFigures.headOutputFrame(name: frameName(.headOutputStep, f), outputs: o, weight: weight, index: spread(f, frames: frames, over: H + 2),
                                         frame: f, frames: frames, theme: theme, words: words)
        }
    }
}
