import TinyGPT

// Draws the context limit of `GPT.forward` (Sources/TinyGPT/Model/GPT+Forward.swift): at most T
// tokens, because W_pos has T rows; everything earlier is simply not seen.

extension StageFigures {
    /// A text longer than the context with the tokens the model can no longer see faded, and the
    /// norm of each learned position vector, which ends at T.
    static func contextLimit(tokens: [String], context: Int, positionNorms: [Double], theme: Theme, words: Words) -> StageFigure {
        let n = tokens.count, dropped = max(0, n - context)
        let page = Page(theme: theme, title: words("上下文长度的限制：只能看 \(context) 个 token", "The context limit: \(context) tokens, no more"),
                        subtitle: words("共 \(n) 个 token；模型只读最后 \(context) 个，前 \(dropped) 个（虚线框）已经看不见", "\(n) tokens; the model reads only the last \(context), the first \(dropped) (dashed) are out of sight"))
        let strip = TokenStrip(tokens: tokens, faded: Set(0..<dropped))
        // The strip takes the rows it needs (at most 60 % of the page), the chart the rest.
        let parts = Panels.top(page.body, height: Titled.headingHeight(theme) + strip.height(forWidth: page.body.width, theme: theme),
                               maxShare: 0.6, gap: theme.gap * 3)
        var items = Titled(title: words("滑动窗口", "the sliding window"), content: strip).draw(in: parts.top, theme: theme)
        if !positionNorms.isEmpty {
            let line = LineChart(series: [LineSeries(name: "", x: (0..<positionNorms.count).map(Double.init), y: positionNorms)],
                                 xTitle: words("位置 p（W_pos 只有 0…\(positionNorms.count - 1) 行）", "position p (W_pos has rows 0…\(positionNorms.count - 1) only)"),
                                 yTitle: "‖W_pos[p]‖")
            items += line.draw(in: parts.rest, theme: theme)
        }
        let caption = words(
            "模型的位置表只有 \(context) 行，所以一次最多读 \(context) 个 token；更长的文本里，前 \(dropped) 个 token 对下一个词的预测没有任何影响。",
            "The model's position table has \(context) rows, so it reads at most \(context) tokens at once; in a longer text the first \(dropped) tokens have no influence on the next prediction.")
        let alt = words("一长串 token，前面的被淡化；下方是每个位置向量的长度", "A long token sequence with the earliest tokens faded; below, the length of each position vector")
        return StageFigure(.contextLimit, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func contextLimitFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let T = config.contextLength
        let norms = model.tensor("wpe.weight").map { t in (0..<T).map { (t.row($0).reduce(0) { $0 + Double($1) * Double($1) }).squareRoot() } } ?? []
        if let given = request.window {
            // A real text (a held-out document), as long as it is.
            guard given.allSatisfy({ (0..<config.vocabSize).contains($0) }) else {
                throw UserError("stage \(FigureStage.contextLimit.rawValue): window token ids must be in 0..<\(config.vocabSize)")
            }
            return StageFigures.contextLimit(tokens: labels(given), context: T, positionNorms: norms, theme: theme, words: words)
        }
        // The prompt (or a default) continued greedily past the context, end-of-text ignored.
        let start = request.prompt.isEmpty ? [bundle.tokenizer.endOfTextID] : try generationPromptIDs(request)
        var ids = start
        var cache = KVCache(model: model)
        var logits: [Float] = []
        for id in ids { logits = cache.append(id) }
        while ids.count < T + 16 {
            let next = Sampler.order(logits)[0]
            ids.append(next)
            if cache.count < T { logits = cache.append(next) } else {
                // Beyond T the cache is full: re-read the last T tokens, as a sliding window does.
                logits = model.nextTokenLogits(Array(ids.suffix(T)))
            }
        }
        return StageFigures.contextLimit(tokens: labels(ids), context: T, positionNorms: norms, theme: theme, words: words)
    }
}
