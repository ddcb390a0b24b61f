import TinyGPT

// Draws the mask `attentionForward` (Sources/Kernels/Attention.swift) applies: a query
// at position i may read keys 0…i; later keys get −∞ before the softmax.

/// The kinds of mask the mask figures draw.
enum MaskKind: String, CaseIterable {
    /// GPT: key ≤ query.
    case causal
    /// BERT: every key.
    case bidirectional
    /// Encoder–decoder cross-attention: every decoder query reads every encoder key.
    case cross

    func allowed(queries: Int, keys: Int) -> [[Bool]] {
        (0..<queries).map { q in (0..<keys).map { k in self == .causal ? k <= q : true } }
    }
}

extension StageFigures {
    /// One 0/−∞ mask over the given labels.
    static func maskMatrix(kind: MaskKind, rows: [String], columns: [String], theme: Theme, words: Words) -> StageFigure {
        let allowed = kind.allowed(queries: rows.count, keys: columns.count)
        let blocked = allowed.reduce(0) { $0 + $1.filter { !$0 }.count }
        let name: String = switch kind {
        case .causal: words("因果掩码（GPT）", "causal mask (GPT)")
        case .bidirectional: words("双向：无掩码（BERT）", "bidirectional: no mask (BERT)")
        case .cross: words("交叉注意力（编码器–解码器）", "cross-attention (encoder–decoder)")
        }
        let page = Page(theme: theme, title: words("注意力掩码：", "Attention mask: ") + name,
                        subtitle: words("行是查询、列是键；0 表示分数照常通过，−∞ 经 softmax 后权重为 0",
                                        "rows are queries, columns keys; 0 lets the score through, −∞ becomes weight 0 after softmax"))
        let grid = MaskGrid(allowed: allowed, rowLabels: rows, columnLabels: columns, rowTitle: words("查询（当前位置）", "query (current position)"),
                            columnTitle: words("键（被看的位置）", "key (position looked at)"))
        let caption = words(
            "\(rows.count)×\(columns.count) 的掩码里有 \(blocked) 个 −∞：" + (kind == .causal ? "每个位置只能看它自己和它之前的 token。" : "这里没有位置被挡住。"),
            "The \(rows.count)×\(columns.count) mask has \(blocked) cells of −∞: " + (kind == .causal ? "each position sees only itself and the tokens before it." : "no position is hidden."))
        let alt = words("矩阵：对角线及以下为 0，以上为负无穷", "Matrix: 0 on and below the diagonal, minus infinity above")
        // Cells are capped in size, so a short prompt's grid is small: crop the page to it.
        return StageFigure(.maskMatrix, page: page, caption: caption, alt: kind == .causal ? alt : name, items: grid.draw(in: page.body, theme: theme),
                           fitted: true)
    }
}

extension StageRenderer {
    /// The prompt's tokens (first `length` of them) or, without a prompt, positions 0…length−1.
    func maskLabels(_ request: StageRequest, _ p: StageParameters, defaultLength: Int) throws(UserError) -> [String] {
        let length = try p.int("length", default: defaultLength, in: 1...config.contextLength)
        if request.prompt.isEmpty { return (0..<length).map { "p\($0)" } }
        let ids = try promptIDs(request)
        return Array(labels(ids).prefix(p.has("length") ? length : ids.count))
    }

    func maskMatrixFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let kind = MaskKind(rawValue: try p.choice("kind", default: "causal", in: MaskKind.allCases.map(\.rawValue)))!
        let names = try maskLabels(request, p, defaultLength: 4)
        return StageFigures.maskMatrix(kind: kind, rows: names, columns: names, theme: theme, words: words)
    }
}
