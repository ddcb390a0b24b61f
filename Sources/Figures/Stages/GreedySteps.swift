import TinyGPT

// Draws the records `Sampler.greedy` (Sources/TinyGPT/Decoding/Sampler.swift) wrote for every
// generated token: the distribution it saw and the most probable token it took.

extension StageFigures {
    /// One small bar chart per step: the top candidates, the chosen token highlighted.
    static func greedySteps(prompt: String, steps: [StepRecord], label: @escaping (Int) -> String, top: Int, theme: Theme, words: Words) -> StageFigure {
        let n = steps.count
        let cols = min(4, max(1, n)), rows = (n + cols - 1) / cols
        let text = steps.map { label($0.chosen) }.joined()
        let page = Page(theme: theme, title: words("贪婪解码：每一步取概率最大的 token", "Greedy decoding: the most probable token at every step"),
                        subtitle: words("「\(prompt)」→「\(text)」（\(n) 步，每步显示前 \(top) 名）", "\"\(prompt)\" → \"\(text)\" (\(n) steps, top \(top) shown each)"))
        let grid = SmallMultiples(rows: rows, columns: cols) { r, c -> any Figure in
            let i = r * cols + c
            guard i < n else { return TextBlock(lines: []) }
            let s = steps[i]
            let order = Sampler.order(s.logits).prefix(top)
            let bars = BarChart(labels: order.map(label), values: order.map { Double(s.probabilities[$0]) },
                                highlighted: order.firstIndex(of: s.chosen).map { $0 - order.startIndex }, showValues: true)
            return Titled(title: words("第 \(i + 1) 步：", "step \(i + 1): ") + "\(label(s.chosen)) \(Num.percent(Double(s.probability)))", content: bars)
        }
        let mean = steps.reduce(0) { $0 + Double($1.probability) } / Double(max(1, n))
        let caption = words(
            "贪婪解码每一步都取最可能的 token，\(n) 步的平均概率是 \(Num.percent(mean))；结果是「\(prompt)\(text)」。",
            "Greedy decoding takes the most likely token at each step; over \(n) steps the chosen tokens' mean probability is \(Num.percent(mean)), giving \"\(prompt)\(text)\".")
        let alt = words("\(n) 个小条形图，每个高亮被选中的 token", "\(n) small bar charts, each highlighting the chosen token")
        return StageFigure(.greedySteps, page: page, caption: caption, alt: alt, items: grid.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    /// The request's options for a strategy, or `fallback` when none or another strategy was given.
    func options(_ request: StageRequest, _ fallback: GenerationOptions) -> GenerationOptions {
        guard let o = request.options, o.strategy == fallback.strategy else { return fallback }
        return o
    }

    func greedyStepsFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try generationPromptIDs(request)
        let o = options(request, GenerationOptions(strategy: .greedy, maxTokens: 8))
        let g = try generation(ids, o)
        guard !g.steps.isEmpty else { throw UserError("stage greedySteps: nothing was generated (the prompt fills the context)") }
        return StageFigures.greedySteps(prompt: request.prompt, steps: Array(g.steps.prefix(12)), label: bundle.tokenizer.displayText,
                                        top: 5, theme: theme, words: words)
    }
}
