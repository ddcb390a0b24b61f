import TinyGPT

// Draws `lessons/model/experiments/finetune.json` (`FineTuneResult`,
// Sources/TinyGPT/Experiments/ExperimentResults.swift): a prompt's next-token distribution
// before and after fine-tuning.

extension StageFigures {
    /// Before and after bars over the same tokens (the most probable of either), the token that
    /// gained most highlighted.
    static func fineTuneShift(_ r: FineTuneResult, labels: [String], k: Int, theme: Theme, words: Words) -> StageFigure {
        let ids = Array(r.before.indices.sorted { max(r.before[$0], r.after[$0]) > max(r.before[$1], r.after[$1]) || (max(r.before[$0], r.after[$0]) == max(r.before[$1], r.after[$1]) && $0 < $1) }.prefix(k))
        let gain = ids.max { (r.after[$0] - r.before[$0]) < (r.after[$1] - r.before[$1]) || ((r.after[$0] - r.before[$0]) == (r.after[$1] - r.before[$1]) && $0 > $1) }!
        let g = ids.firstIndex(of: gain)
        let names = ids.map { labels[$0] }
        let page = Page(theme: theme, title: words("微调前后：下一个 token 的分布", "Before and after fine-tuning: the next-token distribution"),
                        subtitle: words("提示「\(r.prompt)」；\(r.documents.count) 篇文档、\(r.steps) 步、学习率 \(NumberFormat.short(Double(r.learningRate), digits: 2))",
                                        "prompt \"\(r.prompt)\"; \(r.documents.count) documents, \(r.steps) steps, learning rate \(NumberFormat.short(Double(r.learningRate), digits: 2))"))
        let panels = Panels.columns(page.body, count: 2, gap: theme.gap * 3)
        var items: [Primitive] = []
        for (i, (title, probs)) in [(words("微调前", "before"), r.before), (words("微调后", "after"), r.after)].enumerated() {
            let chart = BarChart(labels: names, values: ids.map { Double(probs[$0]) }, highlighted: g,
                                 valueTitle: words("概率", "probability"), digits: 3)
            items += Titled(title: title, content: chart).draw(in: panels[i], theme: theme)
        }
        let caption = words(
            "微调后，「\(labels[gain])」在提示「\(r.prompt)」之后的概率从 \(Num.percent(Double(r.before[gain]))) 变为 \(Num.percent(Double(r.after[gain])))；贪婪续写从「\(r.beforeText)」变成「\(r.afterText)」。",
            "After fine-tuning, \"\(labels[gain])\" after \"\(r.prompt)\" goes from \(Num.percent(Double(r.before[gain]))) to \(Num.percent(Double(r.after[gain]))); the greedy continuation changes from \"\(r.beforeText)\" to \"\(r.afterText)\".")
        let alt = words("两幅条形图：微调前后同一组 token 的概率", "Two bar charts: the same tokens' probabilities before and after fine-tuning")
        return StageFigure(.fineTuneShift, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func fineTuneShiftFigure(_ p: StageParameters) throws(UserError) -> StageFigure {
        let k = try p.int("topK", default: 8, in: 1...30)
        guard let r = experiments.fineTune, r.before.count == config.vocabSize, r.after.count == config.vocabSize else {
            throw Missing.experiment("finetune.json", model: bundle.directory, command: "gptx experiment finetune")
        }
        return StageFigures.fineTuneShift(r, labels: labels(Array(0..<config.vocabSize)), k: k, theme: theme, words: words)
    }
}
