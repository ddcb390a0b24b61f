import Kernels
import TinyGPT

// Draws the three ways positions enter a GPT: the learned table `wpe` the model adds
// (`embeddingForward`, Sources/Kernels/Embedding.swift), the fixed `sinusoidalPositions`
// table, and the angles `RotaryTable` (Sources/Kernels/RoPE.swift) rotates q and k by.

extension StageFigures {
    /// Learned W_pos, the sinusoidal table and RoPE's cos(p·θ_i), positions down, dimensions across.
    static func positionalEncodings(learned: [[Double]]?, sinusoidal: [[Double]], rotary: [[Double]], positional: PositionalEncoding,
                                    theme: Theme, words: Words) -> StageFigure
    {
        let n = sinusoidal.count, cols = sinusoidal.first?.count ?? 0
        let page = Page(theme: theme, title: words("位置编码：三种做法", "Positional encodings, three ways"),
                        subtitle: words("前 \(n) 个位置（行）× 前 \(cols) 维（列）；我们的模型用的是\(positional == .learned ? "学习的 W_pos" : positional == .sinusoidal ? "正弦表" : " RoPE")",
                                        "first \(n) positions (rows) × first \(cols) dimensions (columns); our model uses \(positional == .learned ? "the learned W_pos" : positional == .sinusoidal ? "the sinusoidal table" : "RoPE")"))
        let panels = Panels.columns(page.body, count: 3, gap: theme.gap * 2)
        func heat(_ v: [[Double]], _ bar: String) -> Heatmap {
            Heatmap(values: v, rowLabels: (0..<v.count).map(String.init), columnLabels: (0..<(v.first?.count ?? 0)).map(String.init),
                    coloring: .diverging(), rowTitle: words("位置", "position"), colorBarTitle: bar, showValues: false)
        }
        var items: [Primitive] = []
        if let learned {
            items += Titled(title: words("学习的 W_pos（本模型）", "learned W_pos (this model)"), content: heat(learned, words("值", "value")))
                .draw(in: panels[0], theme: theme)
        } else {
            items += Titled(title: words("学习的 W_pos", "learned W_pos"),
                            content: TextBlock(lines: [words("本模型没有学习的位置表", "this model has no learned table")]))
                .draw(in: panels[0], theme: theme)
        }
        items += Titled(title: words("正弦表 sin/cos", "sinusoidal sin/cos"), content: heat(sinusoidal, "sin / cos")).draw(in: panels[1], theme: theme)
        items += Titled(title: words("RoPE 的 cos(p·θ_i)", "RoPE's cos(p·θ_i)"), content: heat(rotary, "cos")).draw(in: panels[2], theme: theme)
        let caption = words(
            "左：训练学到的位置向量（每个位置一行）；中：固定的正弦表，低维变化快、高维变化慢；右：RoPE 不加向量，而是按 cos(p·θ_i) 旋转 q 和 k 的每一对维度。",
            "Left: the position vectors training learned (one row per position); middle: the fixed sinusoidal table, fast in low dimensions and slow in high ones; right: RoPE adds nothing but rotates each pair of q and k by the angle p·θ_i, shown as cos(p·θ_i).")
        let alt = words("三幅热图：学习的位置表、正弦位置表、RoPE 角度的余弦", "Three heatmaps: the learned position table, the sinusoidal table, and the cosine of RoPE's angles")
        return StageFigure(.positionalEncodings, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func positionalEncodingsFigure(_ p: StageParameters) throws(UserError) -> StageFigure {
        let T = config.contextLength, C = config.width
        let n = try p.int("positions", default: 32, in: 1...T), cols = try p.int("columns", default: 32, in: 1...C)
        let learned = model.tensor("wpe.weight").map { t in (0..<n).map { i in t.row(i).prefix(cols).map(Double.init) } }
        let sin = sinusoidalPositions(contextLength: T, width: C)
        let sinusoidal = (0..<n).map { i in (0..<cols).map { Double(sin[i * C + $0]) } }
        let table = RotaryTable(contextLength: T, headSize: config.headSize)
        let rotary = (0..<n).map { i in (0..<table.half).map { Double(table.cos[i * table.half + $0]) } }
        return StageFigures.positionalEncodings(learned: learned, sinusoidal: sinusoidal, rotary: rotary,
                                                positional: config.positional, theme: theme, words: words)
    }
}
