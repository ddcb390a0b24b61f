import Foundation
import TinyGPT

// A walkthrough of the softmax in `attentionForward` (Sources/Kernels/Attention.swift) for
// one query row of one head: raw scores q·k/√d → masked scores → exponentials minus the maximum →
// normalised weights, one stage per frame, each with the real numbers.

/// One query row's softmax, step by step, recomputed from the trace's masked scores.
struct SoftmaxSteps {
    var layer: Int, head: Int, row: Int
    var query: String
    var keys: [String]
    /// q·k/√d against every key (`hook_attn_scores_unmasked`).
    var raw: [Double]
    /// The same with −∞ for keys after the query (`hook_attn_scores`).
    var masked: [Double]
    /// The largest unmasked score, subtracted before exp so no exponential overflows.
    var maximum: Double
    /// exp(masked − maximum); 0 for the masked keys.
    var exponentials: [Double]
    /// Σ exponentials.
    var sum: Double
    /// exponentials / sum: what `hook_pattern` holds for this row.
    var weights: [Double]
    /// max |weights − hook_pattern's row|.
    var difference: Double
}

extension StageFigures {
    static func softmaxFrame(name: String, steps s: SoftmaxSteps, stage: Int, theme: Theme, words: Words) -> StageFigure {
        let n = s.keys.count, visible = s.row + 1, masked = n - visible
        let top = s.weights.indices.max { s.weights[$0] < s.weights[$1] }!
        let rawTop = s.raw.indices.max { s.raw[$0] < s.raw[$1] }!
        let finite = s.masked.filter(\.isFinite)
        let names = [words("① 分数 q·k/√d", "① scores q·k/√d"), words("② 掩码：之后的键 → −∞", "② masked: later keys → −∞"),
                     words("③ exp(分数 − 最大值 \(Num.fixed(s.maximum)))", "③ exp(score − max \(Num.fixed(s.maximum)))"),
                     words("④ ÷ 总和 \(Num.fixed(s.sum, 3))：权重", "④ ÷ sum \(Num.fixed(s.sum, 3)): weights")]
        let page = Page(theme: theme, title: words("softmax，一步一步（\(stage + 1)/4）：", "Softmax step by step (\(stage + 1)/4): ") + names[stage],
                        subtitle: words("第 \(s.layer) 层第 \(s.head) 头，查询「\(s.query)」（位置 \(s.row)）对 \(n) 个键的一行",
                                        "layer \(s.layer), head \(s.head): the row of query \"\(s.query)\" (position \(s.row)) over \(n) keys"))
        let panels = Panels.rows(page.body, [1, 1, 1, 1], gap: theme.gap)
        let limit = s.raw.map(abs).max() ?? 1
        let rows: [([Double], Heatmap.Coloring)] = [(s.raw, .diverging(limit: limit)), (s.masked, .diverging(limit: limit)),
                                                   (s.exponentials, .sequential(range: 0...1)), (s.weights, .sequential(range: 0...1))]
        var items: [Primitive] = []
        for (i, (values, coloring)) in rows.enumerated() where i <= stage {
            items += Titled(title: names[i],
                            content: Heatmap(values: [values], rowLabels: [s.query], columnLabels: s.keys, coloring: coloring, digits: 3,
                                             highlightedRows: i == stage ? [0] : []),
                            color: i == stage ? theme.highlight : nil)
                .draw(in: panels[i], theme: theme)
        }
        let caption: String, alt: String
        switch stage {
        case 0:
            caption = words("「\(s.query)」对 \(n) 个键的分数 q·k/√d 在 \(Num.fixed(s.raw.min()!)) 到 \(Num.fixed(s.raw.max()!)) 之间，最高的是「\(s.keys[rawTop])」（\(Num.fixed(s.raw[rawTop]))）。",
                            "Query \"\(s.query)\" scores its \(n) keys q·k/√d from \(Num.fixed(s.raw.min()!)) to \(Num.fixed(s.raw.max()!)); the highest is \"\(s.keys[rawTop])\" (\(Num.fixed(s.raw[rawTop]))).")
            alt = words("一行 \(n) 个格子：「\(s.query)」对每个键的原始分数", "One row of \(n) cells: the raw score of \"\(s.query)\" for each key")
        case 1:
            caption = masked == 0
                ? words("掩码：「\(s.query)」是最后一个位置，后面没有键，\(n) 个分数都保留（最大 \(Num.fixed(s.maximum))）。",
                        "Mask: \"\(s.query)\" is the last position, no key comes after it, so all \(n) scores stay (largest \(Num.fixed(s.maximum))).")
                : words("掩码：位置 \(s.row) 之后的 \(masked) 个键变成 −∞；剩下 \(visible) 个分数在 \(Num.fixed(finite.min()!)) 到 \(Num.fixed(s.maximum)) 之间。",
                        "Mask: the \(masked) keys after position \(s.row) become −∞; the \(visible) left range from \(Num.fixed(finite.min()!)) to \(Num.fixed(s.maximum)).")
            alt = words("两行：原始分数，和把 \(masked) 个之后的键换成负无穷的分数", "Two rows: the raw scores, and the scores with the \(masked) later keys set to minus infinity")
        case 2:
            caption = words("减去最大值 \(Num.fixed(s.maximum)) 再取 exp：最大的变成 1，被掩码的是 e^−∞ = 0；\(visible) 个指数的和 Z = \(Num.fixed(s.sum, 3))。",
                            "Subtract the largest, \(Num.fixed(s.maximum)), then exp: the largest becomes 1, the masked ones e^−∞ = 0; the \(visible) exponentials sum to Z = \(Num.fixed(s.sum, 3)).")
            alt = words("三行：分数、掩码后的分数、减去最大值后的指数（和为 \(Num.fixed(s.sum, 3))）", "Three rows: scores, masked scores, and the exponentials after subtracting the maximum (sum \(Num.fixed(s.sum, 3)))")
        default:
            caption = words("每个指数除以 Z = \(Num.fixed(s.sum, 3))：权重和为 1，「\(s.keys[top])」得到 \(Num.percent(s.weights[top]))；与模型的 hook_pattern 相差不超过 \(NumberFormat.short(s.difference, digits: 2))。",
                            "Divide each by Z = \(Num.fixed(s.sum, 3)): the weights sum to 1, \"\(s.keys[top])\" gets \(Num.percent(s.weights[top])); they match the model's hook_pattern within \(NumberFormat.short(s.difference, digits: 2)).")
            alt = words("四行：分数、掩码、指数、权重；最大的权重在「\(s.keys[top])」", "Four rows: scores, masked, exponentials and weights; the largest weight is on \"\(s.keys[top])\"")
        }
        return StageFigure(.softmaxStep, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// Query `row`'s softmax in head `head` of layer `layer`, recomputed in Double from the masked scores.
    func softmaxSteps(_ ids: [Int], layer l: Int, head h: Int, row: Int) -> SoftmaxSteps {
        let a = attentionSlice(ids, layer: l, head: h)
        let masked = a.masked[row]
        let maximum = masked.filter(\.isFinite).max()!
        let exps = masked.map { $0.isFinite ? exp($0 - maximum) : 0 }
        let sum = exps.reduce(0, +)
        let weights = exps.map { $0 / sum }
        let difference = zip(weights, a.pattern[row]).map { abs($0 - $1) }.max() ?? 0
        return SoftmaxSteps(layer: l, head: h, row: row, query: a.tokens[row], keys: a.tokens, raw: a.unmasked[row], masked: masked,
                            maximum: maximum, exponentials: exps, sum: sum, weights: weights, difference: difference)
    }

    func softmaxFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try promptIDs(request)
        // By default a middle row, so the mask has keys to hide (the last row has none).
        let row = try p.int("row", default: (ids.count - 1) / 2, in: 0...(ids.count - 1))
        let s = softmaxSteps(ids, layer: try layer(p), head: try head(p), row: row)
        return try frameRange(p, available: 4).which.map { f in
            StageFigures.softmaxFrame(name: frameName(.softmaxStep, f), steps: s, stage: f - 1, theme: theme, words: words)
        }
    }
}
