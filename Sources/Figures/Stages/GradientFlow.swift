import TinyGPT

// Draws the parameter gradients `GPT.backward` (Sources/TinyGPT/Model/GPT+Backward.swift) computes
// for one real batch: the norm of the gradient of every tensor.

extension StageFigures {
    /// Block tensors as a layers × tensors grid (colour: log10 of the norm), the others as bars.
    static func gradientFlow(blockNorms: [[Double]], kinds: [String], others: [(String, Double)], loss: Double, globalNorm: Double,
                             positions: Int, theme: Theme, words: Words) -> StageFigure
    {
        let L = blockNorms.count
        let page = Page(theme: theme, title: words("梯度流：每个参数张量的梯度范数", "Gradient flow: the gradient norm of every parameter tensor"),
                        subtitle: words("一批真实文本（\(positions) 个位置），损失 \(Num.fixed(loss, 3))；全局范数 ‖g‖ = \(Num.fixed(globalNorm, 3))（裁剪前）",
                                        "one real batch (\(positions) positions), loss \(Num.fixed(loss, 3)); global norm ‖g‖ = \(Num.fixed(globalNorm, 3)) (before clipping)"))
        let panels = Panels.columns(page.body, [3, 1], gap: theme.gap * 3)
        let logs = blockNorms.map { $0.map { log10(max($0, 1e-12)) } }
        let heat = Heatmap(values: logs, rowLabels: (0..<L).map { "h.\($0)" }, columnLabels: kinds, coloring: .sequential(),
                           rowTitle: words("块（反向传播从下往上）", "block (backprop runs bottom to top)"), colorBarTitle: "log10 ‖∇‖", digits: 2,
                           cellLabels: blockNorms.map { $0.map { NumberFormat.short($0, digits: 2) } })
        var items = Titled(title: words("各块的张量", "tensors of each block"), content: heat).draw(in: panels[0], theme: theme)
        items += Titled(title: words("嵌入与最后的 LayerNorm", "embeddings and final LayerNorm"),
                        content: BarChart(labels: others.map(\.0), values: others.map(\.1), valueTitle: "‖∇‖", digits: 2))
            .draw(in: panels[1], theme: theme)
        let flat = blockNorms.enumerated().flatMap { l, row in row.enumerated().map { (l, $0, $1) } }
        let big = flat.max { $0.2 < $1.2 }!
        let caption = words(
            "这一批的损失是 \(Num.fixed(loss, 3))，全局梯度范数 \(Num.fixed(globalNorm, 3))；块里最大的梯度在 h.\(big.0).\(kinds[big.1])（\(NumberFormat.short(big.2, digits: 3))），每一层都收到了梯度。",
            "This batch's loss is \(Num.fixed(loss, 3)) and its global gradient norm \(Num.fixed(globalNorm, 3)); the largest block gradient is in h.\(big.0).\(kinds[big.1]) (\(NumberFormat.short(big.2, digits: 3))), and every layer receives gradient.")
        let alt = words("热图：每层每个参数张量的梯度范数；条形图：嵌入和最终 LayerNorm 的梯度范数", "Heatmap of the gradient norm per layer and tensor; bars for the embeddings and final LayerNorm")
        return StageFigure(.gradientFlow, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func gradientFlowFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let w = try window(request, stage: .gradientFlow)
        let T = w.count - 1
        let ws = TrainingWorkspace(model: model, batchSize: 1, sequenceLength: T)
        ws.load(inputs: Array(w.dropLast()), targets: Array(w.dropFirst()))
        let loss = Double(model.forward(ws))
        model.backward(ws)
        let g = ws.gradients
        func norm(_ t: ParameterTensor) -> Double { (g[t.offset..<(t.offset + t.count)].reduce(0) { $0 + Double($1) * Double($1) }).squareRoot() }
        let kinds = ["ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
                     "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"]
        let tensors = Dictionary(model.layout.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let block = (0..<config.layers).map { l in kinds.map { k in tensors["h.\(l).\(k)"].map(norm) ?? 0 } }
        let others = ["wte.weight", "wpe.weight", "ln_f.weight", "ln_f.bias"].compactMap { n in tensors[n].map { (n, norm($0)) } }
        let global = (g.reduce(0) { $0 + Double($1) * Double($1) }).squareRoot()
        return StageFigures.gradientFlow(blockNorms: block, kinds: kinds, others: others, loss: loss, globalNorm: global, positions: T,
                                         theme: theme, words: words)
    }
}

import Foundation
