import TinyGPT

// Draws generation one token at a time, from the records `LanguageModel.generate`
// (Sources/TinyGPT/Decoding/LanguageModel+Generate.swift) keeps: for greedy and sampling the text
// so far and the distribution of this step; for beam search the tree up to this step.

extension StageFigures {
    /// Frame `step` (1-based) of greedy or sampled generation.
    static func generationFrame(stage: FigureStage, name: String, prompt: [String], generated: [String], step: Int, record: StepRecord,
                                strategy: String, label: (Int) -> String, theme: Theme, words: Words) -> StageFigure
    {
        let tokens = prompt + generated
        let current = prompt.count + step - 1
        let page = Page(theme: theme, title: words("逐词生成：第 \(step) / \(generated.count) 步（\(strategy)）", "Generating token by token: step \(step) of \(generated.count) (\(strategy))"),
                        subtitle: words("读入前 \(current) 个 token，给出下一个的分布，选出「\(label(record.chosen))」并接到末尾",
                                        "reads the first \(current) tokens, scores the next, picks \"\(label(record.chosen))\" and appends it"))
        let parts = Panels.rows(page.body, [1, 3.2], gap: theme.gap * 2)
        let faded = Set((current + 1)..<max(current + 1, tokens.count))
        var items = Titled(title: words("到目前为止的文本（新 token 高亮，之后的尚未生成）", "the text so far (new token highlighted; later ones not yet generated)"),
                           content: TokenStrip(tokens: tokens, marked: [current], faded: faded)).draw(in: parts[0], theme: theme)
        let order = Array(Sampler.order(record.logits).prefix(max(10, record.kept.count > 30 ? 10 : record.kept.count + 2)).prefix(20))
        let keep = record.uniform == nil || record.kept.count >= record.logits.count ? nil : record.kept.count
        let bars = BarChart(labels: order.map(label), values: order.map { Double(record.probabilities[$0]) }, highlighted: order.firstIndex(of: record.chosen),
                            cutoffs: keep.map { [.init(keep: $0, label: words("候选 \($0) 个", "\($0) kept"))] } ?? [],
                            valueTitle: words("概率", "probability"))
        let u = record.uniform.map { words("，u = \(Num.fixed($0, 3))", ", u = \(Num.fixed($0, 3))") } ?? ""
        items += Titled(title: words("第 \(step) 步的分布：选中「\(label(record.chosen))」（\(Num.percent(Double(record.probability)))，第 \(record.rank) 名\(u)）",
                                     "step \(step): chose \"\(label(record.chosen))\" (\(Num.percent(Double(record.probability))), rank \(record.rank)\(u))"),
                        content: bars).draw(in: parts[1], theme: theme)
        let caption = words(
            "第 \(step) 步：模型在「\(tokens[..<current].joined())」之后选了「\(label(record.chosen))」，概率 \(Num.percent(Double(record.probability)))，排第 \(record.rank)。",
            "Step \(step): after \"\(tokens[..<current].joined())\" the model picks \"\(label(record.chosen))\" with probability \(Num.percent(Double(record.probability))), rank \(record.rank).")
        let alt = words("上方是前 \(current + 1) 个 token，第 \(step) 步新加的「\(label(record.chosen))」高亮；下方是第 \(step) 步的概率条形图",
                        "Top: the first \(current + 1) tokens, step \(step)'s new \"\(label(record.chosen))\" highlighted; bottom: step \(step)'s probability bars")
        return StageFigure(stage, name: name, page: page, caption: caption, alt: alt, items: items)
    }

    /// Frame `step` of beam search: the tree up to that step.
    static func beamFrame(name: String, prompt: String, tree: TinyGPT.BeamTree, step: Int, steps: Int, label: (Int) -> String,
                          theme: Theme, words: Words) -> StageFigure
    {
        let nodes = beamNodes(tree, depth: step, root: prompt, label: label)
        let live = tree.nodes.filter { $0.step == step && $0.status != .pruned }.sorted { $0.score > $1.score }
        let page = Page(theme: theme, title: words("束搜索逐步：第 \(step) / \(steps) 步", "Beam search step by step: step \(step) of \(steps)"),
                        subtitle: words("宽度 \(tree.width)：每条假设扩展出候选，按累积 ln P 只留最好的 \(tree.width) 条", "width \(tree.width): each hypothesis proposes candidates; the \(tree.width) best by cumulative ln P survive"))
        let kit = BeamTree(nodes: nodes, stepTitles: [words("提示", "prompt")] + (1...max(1, step)).map { words("第 \($0) 步", "step \($0)") })
        let lead = live.first.map { tree.tokens(to: $0.id).map(label).joined() } ?? ""
        let caption = words("第 \(step) 步后领先的假设是「\(prompt)\(lead)」" + (live.first.map { "（累积 ln P = \(Num.fixed($0.cumulative))）" } ?? "") + "。",
                            "After step \(step) the leading hypothesis is \"\(prompt)\(lead)\"" + (live.first.map { " (cumulative ln P = \(Num.fixed($0.cumulative)))" } ?? "") + ".")
        let alt = words("搜索树的前 \(step) 步", "The first \(step) steps of the search tree")
        return StageFigure(.generationStep, name: name, page: page, caption: caption, alt: alt, items: kit.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func strategyName(_ o: GenerationOptions) -> String {
        switch o.strategy {
        case .greedy: return words("贪婪", "greedy")
        case .beam: return words("束搜索 W=\(o.effectiveBeamWidth)", "beam W=\(o.effectiveBeamWidth)")
        case .sample:
            var s = "T=\(NumberFormat.short(Double(o.effectiveTemperature), digits: 3))"
            if let k = o.topK { s += ", top-k=\(k)" }
            if let p = o.topP { s += ", top-p=\(NumberFormat.short(Double(p), digits: 3))" }
            return words("采样 ", "sampling ") + s
        }
    }

    /// Frames of greedy/sampled/beam generation; `only` picks one (generationFrame's `step`).
    func generationFrames(_ request: StageRequest, stage: FigureStage, which: (Int) throws(UserError) -> [(frame: Int, step: Int)]) throws(UserError) -> [StageFigure] {
        let ids = try generationPromptIDs(request)
        let o = request.options ?? GenerationOptions(strategy: .greedy, maxTokens: 6)
        let g = try generation(ids, o)
        let label = bundle.tokenizer.displayText
        if let tree = g.beams {
            let steps = tree.nodes.map(\.step).max() ?? 0
            guard steps > 0 else { throw UserError("stage \(stage.rawValue): nothing was generated (the prompt fills the context)") }
            return try which(steps).map { f in
                StageFigures.beamFrame(name: stage == .generationFrame ? stage.rawValue : frameName(stage, f.frame), prompt: request.prompt,
                                       tree: tree, step: f.step, steps: steps, label: label, theme: theme, words: words)
            }
        }
        guard !g.steps.isEmpty else { throw UserError("stage \(stage.rawValue): nothing was generated (the prompt fills the context)") }
        return try which(g.steps.count).map { f in
            StageFigures.generationFrame(stage: stage, name: stage == .generationFrame ? stage.rawValue : frameName(stage, f.frame), prompt: labels(ids),
                                         generated: labels(g.ids), step: f.step, record: g.steps[f.step - 1], strategy: strategyName(o),
                                         label: label, theme: theme, words: words)
        }
    }

    func generationFrameFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        try generationFrames(request, stage: .generationFrame) { (n: Int) throws(UserError) -> [(frame: Int, step: Int)] in
            let s = try p.int("step", default: 1, in: 1...n)
            return [(s, s)]
        }[0]
    }

    func generationStepFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        try generationFrames(request, stage: .generationStep) { (n: Int) throws(UserError) -> [(frame: Int, step: Int)] in
            // One frame per generated step (fewer when end-of-text comes early).
            try frameRange(p, available: n).which.map { ($0, $0) }
        }
    }
}
