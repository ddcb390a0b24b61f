import TinyGPT

// Draws the whole path of one prompt through the model (Sources/TinyGPT/Model/GPT.swift,
// `forwardPass`, then `Sampler.greedy`), each box holding this run's real numbers.

extension StageFigures {
    /// Text → tokens → embeddings → blocks → logits → probabilities → choice, two rows of boxes.
    static func pipeline(prompt: String, tokens: [String], config: GPTConfig, top: Candidate, norm: Double, theme: Theme, words: Words) -> StageFigure {
        let n = tokens.count, C = config.width, V = config.vocabSize
        let shown = tokens.prefix(6).joined(separator: " ") + (n > 6 ? " …" : "")
        let boxes: [BlockDiagram.Box] = [
            .init(id: "text", label: words("文本", "text"), detail: "「\(prompt)」", column: 0, row: 0),
            .init(id: "tok", label: words("分词", "tokenize"), detail: "\(n) tokens: \(shown)", column: 1, row: 0),
            .init(id: "emb", label: words("词嵌入 + 位置", "embed + position"), detail: "\(n)×\(C)", column: 2, row: 0),
            .init(id: "blocks", label: words("\(config.layers) 个块", "\(config.layers) blocks"), detail: words("注意力 + MLP，‖x‖ → \(Num.fixed(norm))", "attention + MLP, ‖x‖ → \(Num.fixed(norm))"), column: 3, row: 0, emphasized: true),
            .init(id: "logits", label: "logits", detail: "\(n)×\(V)", column: 3, row: 1),
            .init(id: "softmax", label: "softmax", detail: words("最后一行 → 概率", "last row → probabilities"), column: 2, row: 1),
            .init(id: "choose", label: words("选择", "choose"), detail: "\(top.label) \(Num.percent(top.probability))", column: 1, row: 1, emphasized: true),
            .init(id: "append", label: words("接到末尾，再来一遍", "append, repeat"), detail: "「\(prompt)\(top.label)」", column: 0, row: 1),
        ]
        let arrows: [BlockDiagram.Arrow] = [
            .init(from: "text", to: "tok"), .init(from: "tok", to: "emb", label: "ids"), .init(from: "emb", to: "blocks"),
            .init(from: "blocks", to: "logits", label: "LN · W_E^T"), .init(from: "logits", to: "softmax"), .init(from: "softmax", to: "choose"),
            .init(from: "choose", to: "append"), .init(from: "append", to: "text"),
        ]
        let page = Page(theme: theme, title: words("全流程：从文本到下一个 token", "The whole pipeline: from text to the next token"),
                        subtitle: words("每个方框里是这次真实运行的数字", "every box holds the numbers of this real run"))
        let caption = words(
            "「\(prompt)」被切成 \(n) 个 token，变成 \(n)×\(C) 的向量，穿过 \(config.layers) 个块，最后一行映射到 \(V) 个 logits；softmax 后最可能的是「\(top.label)」（\(Num.percent(top.probability))），接到末尾后再重复这一过程。",
            "\"\(prompt)\" becomes \(n) tokens, then \(n)×\(C) vectors, passes \(config.layers) blocks, and its last row maps to \(V) logits; after softmax the most likely is \"\(top.label)\" (\(Num.percent(top.probability))), which is appended before the loop runs again.")
        let alt = words("流程图：文本 → 分词 → 嵌入 → 块 → logits → softmax → 选择 → 接回输入", "Flow chart: text → tokens → embeddings → blocks → logits → softmax → choice → back to the input")
        return StageFigure(.pipeline, page: page, caption: caption, alt: alt, items: BlockDiagram(boxes: boxes, arrows: arrows).draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func pipelineFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let x = trace(ids)[TraceName.residPost(layer: config.layers - 1)]!.row(ids.count - 1)
        let norm = (x.reduce(0) { $0 + Double($1) * Double($1) }).squareRoot()
        return StageFigures.pipeline(prompt: request.prompt, tokens: labels(ids), config: config, top: candidates(after: ids, k: 1)[0],
                                     norm: norm, theme: theme, words: words)
    }
}
