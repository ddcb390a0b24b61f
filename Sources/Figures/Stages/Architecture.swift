import TinyGPT

// Draws the decoder `GPT` (Sources/TinyGPT/Model/GPT.swift, `forwardPass`) with the real
// dimensions and parameter counts of the loaded model (`ParameterLayout`).

/// The model's shape and parameter counts, as the architecture figures need them.
struct ModelShape {
    var config: GPTConfig
    var total: Int
    var embedding: Int
    var position: Int
    var perBlock: Int
    var finalNorm: Int

    init(_ model: GPT) {
        config = model.config
        let t = model.layout.tensors
        total = model.layout.count
        embedding = t.first { $0.name == "wte.weight" }?.count ?? 0
        position = t.first { $0.name == "wpe.weight" }?.count ?? 0
        perBlock = t.filter { $0.name.hasPrefix("h.0.") }.reduce(0) { $0 + $1.count }
        finalNorm = t.filter { $0.name.hasPrefix("ln_f.") }.reduce(0) { $0 + $1.count }
    }
}

extension StageFigures {
    /// The stack on the left, one block's inside on the right, arrows labelled with shapes.
    static func architecture(_ s: ModelShape, theme: Theme, words: Words) -> StageFigure {
        let c = s.config, C = c.width, T = c.contextLength, V = c.vocabSize, H = c.heads, L = c.layers
        let posDetail: String = switch c.positional {
        case .learned: words("学习的 W_pos：\(T)×\(C) = \(Num.grouped(s.position))", "learned W_pos: \(T)×\(C) = \(Num.grouped(s.position))")
        case .sinusoidal: words("固定正弦表 \(T)×\(C)（无参数）", "fixed sinusoidal table \(T)×\(C) (no parameters)")
        case .rope: words("RoPE：在注意力里旋转 q、k", "RoPE: rotates q and k inside attention")
        }
        let boxes: [BlockDiagram.Box] = [
            .init(id: "tokens", label: words("输入 token id", "token ids"), detail: words("最多 \(T) 个", "up to \(T)"), column: 0, row: 0),
            .init(id: "wte", label: words("词嵌入 W_E", "token embedding W_E"), detail: "\(V)×\(C) = \(Num.grouped(s.embedding))", column: 0, row: 1),
            .init(id: "pos", label: words("+ 位置编码", "+ positions"), detail: posDetail, column: 0, row: 2),
            .init(id: "blocks", label: words("\(L) × Transformer 块", "\(L) × transformer block"), detail: words("每块 \(Num.grouped(s.perBlock)) 个参数", "\(Num.grouped(s.perBlock)) parameters each"), column: 0, row: 3, emphasized: true),
            .init(id: "lnf", label: "LayerNorm", detail: "2×\(C) = \(s.finalNorm)", column: 0, row: 4),
            .init(id: "unembed", label: words("反嵌入（与 W_E 共享）", "unembedding (tied to W_E)"), detail: "\(C)×\(V)", column: 0, row: 5),
            .init(id: "softmax", label: "softmax", detail: words("下一个 token 的概率", "next-token probabilities"), column: 0, row: 6),
            .init(id: "x", label: words("一个块的内部：残差流 x", "inside one block: residual stream x"), detail: "T×\(C)", column: 1, row: 0),
            .init(id: "ln1", label: "LayerNorm 1", column: 1, row: 1),
            .init(id: "attn", label: words("掩码多头注意力", "masked multi-head attention"), detail: words("\(H) 头 × \(c.headSize) 维；W_QKV \(C)×\(3 * C)，W_O \(C)×\(C)", "\(H) heads × \(c.headSize); W_QKV \(C)×\(3 * C), W_O \(C)×\(C)"), column: 1, row: 2, emphasized: true),
            .init(id: "res1", label: words("+ 残差", "+ residual"), column: 1, row: 3),
            .init(id: "ln2", label: "LayerNorm 2", column: 1, row: 4),
            .init(id: "mlp", label: "MLP (GELU)", detail: "\(C) → \(4 * C) → \(C)", column: 1, row: 5, emphasized: true),
            .init(id: "res2", label: words("+ 残差", "+ residual"), column: 1, row: 6),
        ]
        let arrows: [BlockDiagram.Arrow] = [
            .init(from: "tokens", to: "wte", label: "T"), .init(from: "wte", to: "pos", label: "T×\(C)"),
            .init(from: "pos", to: "blocks", label: "T×\(C)"), .init(from: "blocks", to: "lnf", label: "T×\(C)"),
            .init(from: "lnf", to: "unembed", label: "T×\(C)"), .init(from: "unembed", to: "softmax", label: "T×\(V)"),
            .init(from: "x", to: "ln1"), .init(from: "ln1", to: "attn", label: "T×\(C)"), .init(from: "attn", to: "res1", label: "T×\(C)"),
            .init(from: "res1", to: "ln2"), .init(from: "ln2", to: "mlp", label: "T×\(C)"), .init(from: "mlp", to: "res2", label: "T×\(C)"),
            // The residual stream goes around each branch unchanged and is added back.
            .init(from: "x", to: "res1", label: "x", bypass: true), .init(from: "res1", to: "res2", label: "x", bypass: true),
        ]
        let page = Page(theme: theme, title: words("我们的 GPT：真实尺寸", "Our GPT, with its real dimensions"),
                        subtitle: words("\(L) 层、\(H) 头、宽度 \(C)、上下文 \(T)、词表 \(V)；共 \(Num.grouped(s.total)) 个参数。方框里写的是真实维度，方框大小不按比例",
                                        "\(L) layers, \(H) heads, width \(C), context \(T), vocabulary \(V); \(Num.grouped(s.total)) parameters. The boxes are labelled with the real dimensions, not drawn to scale"))
        let items = BlockDiagram(boxes: boxes, arrows: arrows).draw(in: page.body, theme: theme)
        let caption = words(
            "模型有 \(Num.grouped(s.total)) 个参数：词嵌入 \(Num.grouped(s.embedding)) 个，\(L) 个块各 \(Num.grouped(s.perBlock)) 个；每个块先做掩码多头注意力，再做 \(C)→\(4 * C)→\(C) 的 MLP，两处都有残差连接。",
            "The model has \(Num.grouped(s.total)) parameters: \(Num.grouped(s.embedding)) in the token embedding and \(Num.grouped(s.perBlock)) in each of \(L) blocks; each block runs masked multi-head attention, then a \(C)→\(4 * C)→\(C) MLP, both with residual connections.")
        let alt = words("结构图：token → 词嵌入 → 位置编码 → \(L) 个块 → LayerNorm → 反嵌入 → softmax；右侧展开一个块，两条残差支路绕过注意力和 MLP，在“+ 残差”处加回",
                        "Diagram: tokens → embedding → positions → \(L) blocks → LayerNorm → unembedding → softmax; one block expanded on the right, with two residual paths going around attention and the MLP and added back at \"+ residual\"")
        return StageFigure(.architecture, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func architectureFigure() -> StageFigure { StageFigures.architecture(ModelShape(model), theme: theme, words: words) }
}
