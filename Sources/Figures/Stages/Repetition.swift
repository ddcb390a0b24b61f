import TinyGPT

// Draws the loop greedy decoding (`Sampler.greedy`, Sources/TinyGPT/Decoding/Sampler.swift) falls
// into, as `RepetitionFlag.detect` (Sources/TinyGPT/Decoding/RepetitionFlag.swift) finds it.

extension StageFigures {
    /// The prompt and greedy output with the repeated n-gram marked (both occurrences), and the
    /// chosen tokens' probabilities per step.
    static func repetition(prompt: [String], output: [String], flag: RepetitionFlag?, probabilities: [Double],
                           theme: Theme, words: Words) -> StageFigure
    {
        let tokens = prompt + output
        var marked = Set<Int>()
        if let f = flag {
            let n = f.ngram.count
            marked.formUnion(f.earlier..<(f.earlier + n))
            marked.formUnion((f.position - n + 1)...f.position)
        }
        let ngram = flag.map { f in tokens[(f.position - f.ngram.count + 1)...f.position].joined() } ?? ""
        let page = Page(theme: theme, title: words("重复：贪心解码陷入循环", "Repetition: greedy decoding falls into a loop"),
                        subtitle: flag.map { f in words("「\(ngram)」（\(f.ngram.count) 个 token）在位置 \(f.earlier) 出现过，又在位置 \(f.position - f.ngram.count + 1) 重复；生成时忽略了结束符",
                                                        "\"\(ngram)\" (\(f.ngram.count) tokens) first at position \(f.earlier), repeated at \(f.position - f.ngram.count + 1); end-of-text ignored while generating") }
                            ?? words("\(output.count) 个 token 内没有重复的 3 元组", "no repeated 3-gram within \(output.count) tokens"))
        let parts = Panels.rows(page.body, [1, 1], gap: theme.gap * 2)
        var items = Titled(title: words("提示 + 贪心输出（重复的片段高亮）", "prompt + greedy output (the repeated n-gram highlighted)"),
                           content: TokenStrip(tokens: tokens, marked: marked)).draw(in: parts[0], theme: theme)
        let line = LineChart(series: [LineSeries(name: "", x: (1...max(1, probabilities.count)).map(Double.init), y: probabilities)],
                             xTitle: words("生成步", "generation step"), yTitle: words("所选 token 的概率", "chosen token's probability"))
        items += line.draw(in: parts[1], theme: theme)
        let tail = probabilities.suffix(min(10, probabilities.count))
        let mean = tail.reduce(0, +) / Double(max(1, tail.count))
        let caption = words(
            flag.map { _ in "贪心解码生成了 \(output.count) 个 token 后开始重复「\(ngram)」；最后 \(tail.count) 步所选 token 的平均概率是 \(Num.percent(mean))：模型越来越确信这个循环。" }
                ?? "贪心解码 \(output.count) 个 token 内没有陷入循环。",
            flag.map { _ in "Greedy decoding starts repeating \"\(ngram)\" within \(output.count) tokens; over the last \(tail.count) steps the chosen tokens average \(Num.percent(mean)): the model grows sure of the loop." }
                ?? "Greedy decoding does not loop within \(output.count) tokens.")
        let alt = words("token 序列，重复的片段高亮；下方折线是每步所选 token 的概率", "A token sequence with the repeated part highlighted; below, the chosen token's probability per step")
        return StageFigure(.repetition, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func repetitionFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try generationPromptIDs(request)
        let room = config.contextLength - ids.count
        let o = options(request, GenerationOptions(strategy: .greedy, maxTokens: min(40, room)))
        // End-of-text would stop the loop before it shows; the figure says it was ignored.
        let g = try generation(ids, o, stopAtEndOfText: false)
        return StageFigures.repetition(prompt: labels(ids), output: labels(g.ids), flag: g.repetition,
                                       probabilities: g.steps.map { Double($0.probability) }, theme: theme, words: words)
    }
}
