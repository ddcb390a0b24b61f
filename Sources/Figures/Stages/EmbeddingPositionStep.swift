import TinyGPT

// A walkthrough of `embeddingForward` (Sources/Kernels/Embedding.swift) one token per
// frame: its row of W_E looked up, the row of W_pos for its position added, and the sum that enters
// block 0 (the trace's hook_embed + hook_pos_embed = blocks.0.hook_resid_pre).

/// One position's embedding, recomputed from the weights.
struct EmbeddingSum {
    var position: Int
    var token: String
    var id: Int
    /// Row `id` of W_E (`wte.weight`).
    var tokenRow: [Double]
    /// Row `position` of W_pos (`wpe.weight`, or the fixed table the model adds).
    var positionRow: [Double]
    /// tokenRow + positionRow: what block 0 reads.
    var sum: [Double]
}

extension StageFigures {
    static func embeddingPositionFrame(name: String, tokens: [String], e: EmbeddingSum, frame: Int, frames: Int, theme: Theme, words: Words) -> StageFigure {
        func norm(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 }).squareRoot() }
        let C = e.sum.count
        let page = Page(theme: theme, title: words("词嵌入 + 位置（\(frame)/\(frames)）：「\(e.token)」在位置 \(e.position)", "Embedding + position (\(frame)/\(frames)): \"\(e.token)\" at position \(e.position)"),
                        subtitle: words("x_\(e.position) = W_E[\(e.id)] + W_pos[\(e.position)]，各 \(C) 维（蓝负红正，三条同一色标）；同一个 token 在不同位置得到不同的 x",
                                        "x_\(e.position) = W_E[\(e.id)] + W_pos[\(e.position)], \(C) numbers each (blue negative, red positive, one scale); the same token elsewhere gets another x"))
        let parts = Panels.rows(page.body, [1, 1.2, 1.2, 1.2], gap: theme.gap * 2)
        var items = Titled(title: words("提示的 token（当前的加框）", "the prompt's tokens (this one outlined)"),
                           content: TokenStrip(tokens: tokens, ids: [], marked: [e.position])).draw(in: parts[0], theme: theme)
        let limit = (e.tokenRow + e.positionRow + e.sum).map(abs).max() ?? 1
        let strips: [(String, [Double])] = [
            (words("① 查表：W_E 第 \(e.id) 行（‖·‖ = \(Num.fixed(norm(e.tokenRow)))）", "① look up: row \(e.id) of W_E (‖·‖ = \(Num.fixed(norm(e.tokenRow))))"), e.tokenRow),
            (words("② 加上 W_pos 第 \(e.position) 行（‖·‖ = \(Num.fixed(norm(e.positionRow)))）", "② add row \(e.position) of W_pos (‖·‖ = \(Num.fixed(norm(e.positionRow))))"), e.positionRow),
            (words("③ 和 x_\(e.position)，进入第 0 块（‖·‖ = \(Num.fixed(norm(e.sum)))）", "③ the sum x_\(e.position), into block 0 (‖·‖ = \(Num.fixed(norm(e.sum))))"), e.sum),
        ]
        for (i, (title, values)) in strips.enumerated() {
            items += Titled(title: title, content: VectorStrip(values: values, coloring: .diverging(limit: limit), maximumCellSize: 22))
                .draw(in: parts[i + 1], theme: theme)
        }
        let p0 = Num.fixed(e.positionRow[0], 3)
        let d0 = (Num.fixed(e.tokenRow[0], 3), p0.hasPrefix("−") ? "(\(p0))" : p0, Num.fixed(e.sum[0], 3))
        let caption = words(
            "位置 \(e.position) 的「\(e.token)」(id \(e.id))：W_E 行长 \(Num.fixed(norm(e.tokenRow)))，W_pos 行长 \(Num.fixed(norm(e.positionRow)))，相加得到长 \(Num.fixed(norm(e.sum))) 的 x_\(e.position)；第 0 维 \(d0.0) + \(d0.1) = \(d0.2)。",
            "\"\(e.token)\" (id \(e.id)) at position \(e.position): its W_E row has length \(Num.fixed(norm(e.tokenRow))), the W_pos row \(Num.fixed(norm(e.positionRow))), their sum x_\(e.position) \(Num.fixed(norm(e.sum))); dimension 0: \(d0.0) + \(d0.1) = \(d0.2).")
        let alt = words("位置 \(e.position) 的「\(e.token)」：三条 \(C) 格的向量——W_E 第 \(e.id) 行、W_pos 第 \(e.position) 行和它们的和",
                        "\"\(e.token)\" at position \(e.position): three strips of \(C) cells, row \(e.id) of W_E, row \(e.position) of W_pos and their sum")
        return StageFigure(.embeddingPositionStep, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// Every position's W_E row, W_pos row and sum, from the weights (not the trace).
    func embeddingSums(_ ids: [Int]) throws(UserError) -> [EmbeddingSum] {
        let wte = model.tensor("wte.weight")!
        // Learned positions are a weight; a fixed (sinusoidal) table is what the trace records as added.
        guard let wpe = model.tensor("wpe.weight") ?? trace(ids)[TraceName.posEmbed] else {
            throw UserError("stage embeddingPositionStep: this model adds no position vector (positional \(config.positional.rawValue) rotates q and k instead)")
        }
        let names = labels(ids)
        return ids.enumerated().map { p, id in
            let e = wte.row(id).map(Double.init), w = wpe.row(p).map(Double.init)
            return EmbeddingSum(position: p, token: names[p], id: id, tokenRow: e, positionRow: w, sum: zip(e, w).map { $0 + $1 })
        }
    }

    func embeddingPositionFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try promptIDs(request)
        let sums = try embeddingSums(ids), names = labels(ids)
        // One frame per position, at most 8 by default (evenly spaced, the last included).
        let (frames, which) = try frameRange(p, available: ids.count, cap: 8)
        return which.map { f in
            StageFigures.embeddingPositionFrame(name: frameName(.embeddingPositionStep, f), tokens: names, e: sums[spread(f, frames: frames, over: ids.count)],
                                                frame: f, frames: frames, theme: theme, words: words)
        }
    }
}
