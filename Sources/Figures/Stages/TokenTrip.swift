import TinyGPT

// A walkthrough of one forward pass (`GPT.forwardPass`, Sources/TinyGPT/Model/GPT.swift): one
// frame per stage a token passes — tokenize, embed, add position, each block, logits and choice.

extension StageFigures {
    /// Frame `index` of `stages`: the strip of stages with the current one emphasised, and what
    /// the run holds at that stage.
    /// `stage` and `heading` (the title before "(frame/frames)") let another walkthrough along the
    /// same strip (whole-step) use this layout; `alt` replaces the generic one.
    static func tokenTripFrame(name: String, stages: [String], index: Int, frame: Int, frames: Int, detail: String, content: any Figure,
                               caption: String, theme: Theme, words: Words, stage: FigureStage = .tokenTrip, heading: String? = nil,
                               alt givenAlt: String? = nil) -> StageFigure
    {
        let page = Page(theme: theme, title: (heading ?? words("一个 token 的旅程", "One token's trip")) + words("（\(frame)/\(frames)）：", " (\(frame)/\(frames)): ") + stages[index],
                        subtitle: detail)
        let parts = Panels.rows(page.body, [1, 4], gap: theme.gap * 2)
        let boxes = stages.enumerated().map { BlockDiagram.Box(id: "s\($0)", label: $1, column: $0, row: 0, emphasized: $0 == index) }
        let arrows = (1..<stages.count).map { BlockDiagram.Arrow(from: "s\($0 - 1)", to: "s\($0)") }
        var items = BlockDiagram(boxes: boxes, arrows: arrows).draw(in: parts[0], theme: theme)
        items += content.draw(in: parts[1], theme: theme)
        let alt = givenAlt ?? words("流程条中高亮“\(stages[index])”，下方是这一步的真实数据", "The stage strip with \"\(stages[index])\" highlighted; below, this stage's real data")
        return StageFigure(stage, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func tokenTripFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try promptIDs(request)
        let t = trace(ids), L = config.layers, names = labels(ids), last = ids.count - 1
        let stages = [words("分词", "tokenize"), words("词嵌入", "embed"), words("+位置", "+position")]
            + (0..<L).map { words("块 \($0)", "block \($0)") } + [words("logits→选择", "logits→choice")]
        let (frames, which) = try frameRange(p, available: stages.count)
        func norm(_ name: String) -> Double { (t[name]!.row(last).reduce(0) { $0 + Double($1) * Double($1) }).squareRoot() }
        func heat(_ name: String, _ bar: String) -> Heatmap {
            Heatmap(values: rows(t[name]!), rowLabels: names, columnLabels: (0..<config.width).map(String.init), coloring: .diverging(),
                    columnTitle: words("维度", "dimension"), colorBarTitle: bar, showValues: false)
        }
        return which.map { frame in
            // Frames map evenly onto the stages when their counts differ.
            let i = min(stages.count - 1, (frame - 1) * stages.count / frames)
            let content: any Figure, detail: String, caption: String
            switch i {
            case 0:
                content = TokenStrip(tokens: names, ids: ids)
                detail = words("「\(request.prompt)」切成 \(ids.count) 个 token", "\"\(request.prompt)\" becomes \(ids.count) tokens")
                caption = words("分词：「\(request.prompt)」是 \(ids.count) 个 token，id 为 \(ids.map(String.init).joined(separator: "、"))。",
                                "Tokenize: \"\(request.prompt)\" is \(ids.count) tokens with ids \(ids.map(String.init).joined(separator: ", ")).")
            case 1:
                content = heat(TraceName.embed, "W_E")
                detail = words("每个 id 取出 W_E 的一行（\(config.width) 维）", "each id reads one row of W_E (\(config.width) numbers)")
                caption = words("词嵌入：「\(names[last])」的向量长度 \(Num.fixed(norm(TraceName.embed)))。", "Embed: \"\(names[last])\" gets a vector of length \(Num.fixed(norm(TraceName.embed))).")
            case 2:
                content = heat(TraceName.residPre(layer: 0), "x")
                detail = words("加上位置向量：x = W_E[id] + W_pos[p]", "add the position vector: x = W_E[id] + W_pos[p]")
                caption = words("加上位置后，「\(names[last])」的向量长度 \(Num.fixed(norm(TraceName.residPre(layer: 0))))。", "With its position added, \"\(names[last])\" has length \(Num.fixed(norm(TraceName.residPre(layer: 0)))).")
            case 3..<(3 + L):
                let l = i - 3
                content = heat(TraceName.residPost(layer: l), "x")
                detail = words("第 \(l) 块：注意力读前文，MLP 逐位置变换，两者都加回残差流", "block \(l): attention reads the context, the MLP transforms each position, both add to the stream")
                caption = words("第 \(l) 块之后，「\(names[last])」的向量长度 \(Num.fixed(norm(TraceName.residPost(layer: l))))。", "After block \(l), \"\(names[last])\" has length \(Num.fixed(norm(TraceName.residPost(layer: l)))).")
            default:
                let c = candidates(after: ids, k: 10)
                content = BarChart(labels: c.map(\.label), values: c.map(\.probability), highlighted: 0, valueTitle: words("概率", "probability"))
                detail = words("最后一行经 LayerNorm 和 W_E^T 得到 \(config.vocabSize) 个 logits，softmax 后取最大", "the last row → LayerNorm → W_E^T → \(config.vocabSize) logits → softmax → the most likely")
                caption = words("最后：下一个 token 是「\(c[0].label)」，概率 \(Num.percent(c[0].probability))。", "Finally: the next token is \"\(c[0].label)\" at \(Num.percent(c[0].probability)).")
            }
            return StageFigures.tokenTripFrame(name: frameName(.tokenTrip, frame), stages: stages, index: i, frame: frame, frames: frames,
                                               detail: detail, content: content, caption: caption, theme: theme, words: words)
        }
    }
}
