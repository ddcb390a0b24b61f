import TinyGPT

// A walkthrough of one whole decoding step, `LanguageModel.generate` (Sources/TinyGPT/Decoding/
// LanguageModel+Generate.swift) over `GPT.forwardPass`: tokens → embeddings → each block → final
// LayerNorm → logits → probabilities → the token the decoder really chose with the scenario's strategy.

extension StageRenderer {
    func wholeStepFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        let ids = try generationPromptIDs(request), full = try promptIDs(request).count
        var o = request.options ?? GenerationOptions(strategy: .greedy, maxTokens: 1)
        if o.strategy != .beam { o.maxTokens = 1 }   // the first step does not depend on the length; beam's first token does
        let g = try generation(ids, o)
        guard let chosen = g.ids.first else { throw UserError("stage wholeStep: nothing was generated") }
        let t = trace(ids), L = config.layers, V = config.vocabSize, names = labels(ids), n = ids.count, last = n - 1
        let label = bundle.tokenizer.displayText
        let record = g.steps.first
        // The probabilities the decoder drew from (softmax(logits / T)); beam search scores with T = 1.
        let logits = t[TraceName.logits]!.row(last).map(Double.init)
        let probs = record.map { $0.probabilities.map(Double.init) } ?? t[TraceName.probs]!.row(last).map(Double.init)
        let order = Sampler.order(t[TraceName.logits]!.row(last).map { $0 })
        let top = Array(order.prefix(10)), rank = order.firstIndex(of: chosen)! + 1
        let stages = [words("分词", "tokens"), words("嵌入+位置", "embed+pos")] + (0..<L).map { words("块 \($0)", "block \($0)") }
            + [words("最终 LN", "final LN"), "logits", words("概率", "probabilities"), words("选择", "choice")]
        let (frames, which) = try frameRange(p, available: stages.count)
        func norm(_ name: String) -> Double { (t[name]!.row(last).reduce(0) { $0 + Double($1) * Double($1) }).squareRoot() }
        func heat(_ name: String, _ bar: String) -> Heatmap {
            Heatmap(values: rows(t[name]!), rowLabels: names, columnLabels: (0..<config.width).map(String.init), coloring: .diverging(),
                    columnTitle: words("维度", "dimension"), colorBarTitle: bar, showValues: false)
        }
        let strategy = strategyName(o), lastName = names[last]
        return which.map { frame in
            let i = spread(frame, frames: frames, over: stages.count)
            let content: any Figure, detail: String, caption: String, alt: String
            switch i {
            case 0:
                content = TokenStrip(tokens: names, ids: ids)
                let cut = full > n ? words("（提示有 \(full) 个，只留最后 \(n) 个，给新 token 腾出位置）", " (the prompt has \(full); the last \(n) are kept to leave room for the new one)") : ""
                detail = words("「\(request.prompt)」→ \(n) 个 token\(cut)", "\"\(request.prompt)\" → \(n) tokens\(cut)")
                caption = words("分词：「\(request.prompt)」读成 \(n) 个 token\(cut)，最后一个是「\(lastName)」(id \(ids[last]))。",
                                "Tokens: \"\(request.prompt)\" is read as \(n) tokens\(cut), the last \"\(lastName)\" (id \(ids[last])).")
                alt = words("\(n) 个 token 方框和 id", "\(n) token boxes with their ids")
            case 1:
                content = heat(TraceName.residPre(layer: 0), "x")
                detail = words("每个 token：W_E 的一行 + 它位置的 W_pos 行", "each token: its row of W_E + its position's row of W_pos")
                caption = words("嵌入加位置：\(n)×\(config.width) 的矩阵进入第 0 块；「\(lastName)」这一行长 \(Num.fixed(norm(TraceName.residPre(layer: 0))))。",
                                "Embeddings plus positions: the \(n)×\(config.width) matrix entering block 0; the row of \"\(lastName)\" has length \(Num.fixed(norm(TraceName.residPre(layer: 0)))).")
                alt = words("热图：进入第 0 块的 \(n) 行向量", "Heatmap: the \(n) rows entering block 0")
            case 2..<(2 + L):
                let l = i - 2
                content = heat(TraceName.residPost(layer: l), "x")
                detail = words("第 \(l) 块：注意力读前文，MLP 逐位置变换，两者都加回残差流", "block \(l): attention reads the context, the MLP transforms each position, both add to the stream")
                caption = words("第 \(l) 块之后，「\(lastName)」这一行长 \(Num.fixed(norm(TraceName.residPost(layer: l))))（进入时 \(Num.fixed(norm(TraceName.residPre(layer: l)))))。",
                                "After block \(l) the row of \"\(lastName)\" has length \(Num.fixed(norm(TraceName.residPost(layer: l)))) (\(Num.fixed(norm(TraceName.residPre(layer: l)))) going in).")
                alt = words("热图：第 \(l) 块输出的残差流", "Heatmap: the residual stream after block \(l)")
            case 2 + L:
                content = heat(TraceName.lnFinalNormalized, "LN")
                detail = words("每一行减均值、除标准差，再乘 γ 加 β", "each row minus its mean, divided by its standard deviation, times γ plus β")
                caption = words("最终 LayerNorm：「\(lastName)」这一行从长 \(Num.fixed(norm(TraceName.residPost(layer: L - 1)))) 变成 \(Num.fixed(norm(TraceName.lnFinalNormalized)))。",
                                "Final LayerNorm: the row of \"\(lastName)\" goes from length \(Num.fixed(norm(TraceName.residPost(layer: L - 1)))) to \(Num.fixed(norm(TraceName.lnFinalNormalized))).")
                alt = words("热图：最终 LayerNorm 之后的 \(n) 行", "Heatmap: the \(n) rows after the final LayerNorm")
            case 3 + L:
                content = Heatmap(values: [top.map { logits[$0] }], rowLabels: ["logit"], columnLabels: top.map(label), coloring: .diverging(), digits: 3)
                detail = words("最后一行 × W_E^T：\(V) 个 logits，每个 token 一个；这里是最高的 \(top.count) 个", "the last row × W_E^T: \(V) logits, one per token; the \(top.count) highest shown")
                caption = words("logits：\(V) 个数，从 \(Num.fixed(logits.min()!)) 到 \(Num.fixed(logits[top[0]]))；最高的是「\(label(top[0]))」。",
                                "Logits: \(V) numbers from \(Num.fixed(logits.min()!)) to \(Num.fixed(logits[top[0]])); the highest is \"\(label(top[0]))\".")
                alt = words("一行格子：最高的 \(top.count) 个 logit 和它们的 token", "One row of cells: the \(top.count) highest logits and their tokens")
            case 4 + L:
                content = BarChart(labels: top.map(label), values: top.map { probs[$0] }, valueTitle: words("概率", "probability"))
                let temperature = record.map { _ in o.effectiveTemperature } ?? 1
                detail = words("softmax(logits / T)，T = \(NumberFormat.short(Double(temperature), digits: 3))：全部 \(V) 个概率和为 1", "softmax(logits / T), T = \(NumberFormat.short(Double(temperature), digits: 3)): all \(V) probabilities sum to 1")
                let three = top.prefix(3).map { words("「\(label($0))」\(Num.percent(probs[$0]))", "\"\(label($0))\" \(Num.percent(probs[$0]))") }
                caption = words("概率：最可能的是 \(words.list(three))。", "Probabilities: the most likely are \(words.list(three)).")
                alt = words("条形图：概率最高的 \(top.count) 个 token", "Bar chart: the \(top.count) most probable tokens")
            default:
                let kept = record.map { $0.uniform == nil || $0.kept.count >= V ? nil : $0.kept.count } ?? nil
                let shown = top.contains(chosen) ? top : top + [chosen]
                content = BarChart(labels: shown.map(label), values: shown.map { probs[$0] }, highlighted: shown.firstIndex(of: chosen),
                                   cutoffs: kept.map { [.init(keep: $0, label: words("候选 \($0) 个", "\($0) kept"))] } ?? [],
                                   valueTitle: words("概率", "probability"))
                detail = words("策略：\(strategy)", "strategy: \(strategy)")
                let u = record?.uniform.map { words("，u = \(Num.fixed($0, 3))", ", u = \(Num.fixed($0, 3))") } ?? ""
                if o.strategy == .beam {
                    caption = words("选择（\(strategy)）：得分最高的假设以「\(label(chosen))」开头，它在这一步排第 \(rank)，概率 \(Num.percent(probs[chosen]))。",
                                    "Choice (\(strategy)): the best-scoring hypothesis starts with \"\(label(chosen))\", rank \(rank) at this step with probability \(Num.percent(probs[chosen])).")
                } else {
                    let among = kept.map { words("在留下的 \($0) 个里", "of the \($0) kept, ") } ?? ""
                    caption = words("选择（\(strategy)\(u)）：解码器\(among)选了「\(label(chosen))」，排第 \(rank)，概率 \(Num.percent(probs[chosen]))。",
                                    "Choice (\(strategy)\(u)): \(among)the decoder picks \"\(label(chosen))\", rank \(rank), probability \(Num.percent(probs[chosen])).")
                }
                alt = words("条形图：选中的「\(label(chosen))」高亮", "Bar chart with the chosen \"\(label(chosen))\" highlighted")
            }
            return StageFigures.tokenTripFrame(name: frameName(.wholeStep, frame), stages: stages, index: i, frame: frame, frames: frames,
                                               detail: detail, content: content, caption: caption, theme: theme, words: words, stage: .wholeStep,
                                               heading: words("完整的一步", "One whole step"), alt: alt)
        }
    }
}
