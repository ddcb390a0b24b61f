import TinyGPT

// Draws the loop greedy decoding (`Sampler.greedy`, Sources/TinyGPT/Decoding/Sampler.swift) falls
// into, as `RepeatedSpan.find` (Sources/TinyGPT/Decoding/RepeatedSpan.swift) finds it.

extension StageFigures {
    /// The prompt and greedy output with every occurrence of the repeated span marked (`RepeatedSpan`,
    /// the same computation chapter 12's text reports), and the chosen tokens' probabilities per step.
    static func repetition(prompt: [String], output: [String], repeated: RepeatedSpan?, probabilities: [Double],
                           theme: Theme, words: Words) -> StageFigure
    {
        let tokens = prompt + output
        var marked = Set<Int>()
        for start in repeated?.starts ?? [] { marked.formUnion(start..<(start + repeated!.span.count)) }
        let span = repeated.map { r in tokens[r.starts[0]..<(r.starts[0] + r.span.count)].joined() } ?? ""
        let n = repeated?.span.count ?? 0, times = repeated?.starts.count ?? 0
        let positions = repeated?.starts.map(String.init).joined(separator: ", ") ?? ""
        let loops = repeated?.backToBack ?? false
        let first = repeated?.starts.first ?? 0, tokenCount = n == 1 ? "1 token" : "\(n) tokens"
        let page = Page(theme: theme,
                        title: loops ? words("重复：贪婪解码陷入循环", "Repetition: greedy decoding falls into a loop")
                                     : repeated != nil ? words("重复：贪婪解码重复自己", "Repetition: greedy decoding repeats itself")
                                                       : words("重复：这次没有", "Repetition: none this time"),
                        subtitle: repeated != nil
                            ? loops
                                ? words("「\(span)」（\(n) 个 token）从位置 \(first) 起首尾相接地出现 \(times) 次；生成时忽略了结束符",
                                        "\"\(span)\" (\(tokenCount)) occurs \(times) times back to back from position \(first); end-of-text ignored while generating")
                                : words("「\(span)」（\(n) 个 token）出现 \(times) 次，起点在位置 \(positions)；生成时忽略了结束符",
                                        "\"\(span)\" (\(tokenCount)) occurs \(times) times, starting at positions \(positions); end-of-text ignored while generating")
                            : words("\(output.count) 个 token 内没有重复 3 个以上 token 的片段", "no span of 3 or more tokens repeats within \(output.count) tokens"))
        let strip = TokenStrip(tokens: tokens, marked: marked)
        // The strip takes the rows it needs (at most 60 % of the page), the chart the rest.
        let parts = Panels.top(page.body, height: Titled.headingHeight(theme) + strip.height(forWidth: page.body.width, theme: theme),
                               maxShare: 0.6, gap: theme.gap * 3)
        var items = Titled(title: words("提示 + 贪婪输出（重复的片段每次出现都高亮）", "prompt + greedy output (every occurrence of the repeated span highlighted)"),
                           content: strip).draw(in: parts.top, theme: theme)
        let line = LineChart(series: [LineSeries(name: "", x: (1...max(1, probabilities.count)).map(Double.init), y: probabilities)],
                             xTitle: words("生成步", "generation step"), yTitle: words("所选 token 的概率", "chosen token's probability"))
        items += line.draw(in: parts.rest, theme: theme)
        let tail = probabilities.suffix(min(10, probabilities.count))
        let mean = tail.reduce(0, +) / Double(max(1, tail.count))
        let caption: String
        if let repeated {
            caption = words(
                "贪婪解码的 \(output.count) 个 token 里，「\(span)」出现了 \(repeated.starts.count) 次\(loops ? "，首尾相接：陷入了循环" : "，中间隔着别的文字：还不是紧密的循环")；最后 \(tail.count) 步所选 token 的平均概率是 \(Num.percent(mean))。",
                "In \(output.count) greedy tokens \"\(span)\" occurs \(repeated.starts.count) times\(loops ? ", back to back: a loop" : ", with other text in between: not yet a tight loop"); over the last \(tail.count) steps the chosen tokens average \(Num.percent(mean)).")
        } else {
            caption = words("贪婪解码 \(output.count) 个 token 内没有重复 3 个以上 token 的片段。", "Greedy decoding repeats no span of 3 or more tokens within \(output.count) tokens.")
        }
        let alt = words("token 序列，重复的片段高亮；下方折线是每步所选 token 的概率", "A token sequence with the repeated span highlighted; below, the chosen token's probability per step")
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
        return StageFigures.repetition(prompt: labels(ids), output: labels(g.ids), repeated: RepeatedSpan.find(prompt: ids, output: g.ids),
                                       probabilities: g.steps.map { Double($0.probability) }, theme: theme, words: words)
    }
}
