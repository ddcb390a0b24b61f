import TinyGPT

// Draws what `HeadStatistics.induction` (Sources/TinyGPT/Trace/HeadStatistics.swift) measures: the
// patterns (`blocks.{l}.attn.hook_pattern`) of two heads on a random token sequence whose second
// half repeats the first, and the induction head once more on a sequence that does not repeat.

extension StageFigures {
    /// Three panels on one 0…1 scale: the previous-token head on the repeated sequence (a stripe
    /// just under the diagonal), the induction head on it (a stripe n − 1 further left in the second
    /// half) and the induction head on the fresh sequence (the baseline: no stripe to find).
    static func inductionPattern(previous: HeadStatistic, induction: InductionStatistic, half n: Int,
                                 previousOnRepeat: [[Double]], inductionOnRepeat: [[Double]], inductionOnFresh: [[Double]],
                                 theme: Theme, words: Words) -> StageFigure {
        let T = previousOnRepeat.count
        let page = Page(theme: theme, title: words("两种可测的头：看前一个 token、看上次出现之后", "Two measurable habits: the previous token, the token after the last occurrence"),
                        subtitle: words("随机 token 序列：<|endoftext|> 之后 \(n) 个随机 token，再把它们重复一遍（行查询、列键，0…1）",
                                        "random tokens: <|endoftext|>, then \(n) random tokens, then the same \(n) again (rows queries, columns keys, 0…1)"))
        // The third panel also holds the colour bar: a little wider, so its grid matches the other two.
        // Each panel only as tall as its square grid and heading need (the page is cropped below).
        let height = min(page.body.height, Panels.columns(page.body, count: 3, gap: theme.gap * 2)[0].width + theme.labelSize * 2.5)
        let parts = Panels.columns(Rect(x: page.body.minX, y: page.body.minY, width: page.body.width, height: height), [1, 1, 1.22], gap: theme.gap * 2)
        let unit = Heatmap.Coloring.sequential(range: 0...1)
        func panel(_ values: [[Double]], _ title: String, _ bar: Bool) -> Titled {
            Titled(title: title, content: Heatmap(values: values, coloring: unit, colorBarTitle: bar ? words("权重", "weight") : nil,
                                                  showValues: false, showColorBar: bar))
        }
        let p = "\(previous.layer)", ph = "\(previous.head)", l = "\(induction.layer)", h = "\(induction.head)"
        var items = panel(previousOnRepeat, words("第 \(p) 层第 \(ph) 头：前一个 \(Num.fixed(previous.previous, 3))", "layer \(p) head \(ph): previous \(Num.fixed(previous.previous, 3))"), false)
            .draw(in: parts[0], theme: theme)
        items += panel(inductionOnRepeat, words("第 \(l) 层第 \(h) 头：重复时 \(Num.fixed(induction.repeated, 3))",
                                                "layer \(l) head \(h): repeated, \(Num.fixed(induction.repeated, 3))"), false)
            .draw(in: parts[1], theme: theme)
        items += panel(inductionOnFresh, words("同一个头：不重复时 \(Num.fixed(induction.baseline, 3))",
                                               "same head: no repeat, \(Num.fixed(induction.baseline, 3))"), true)
            .draw(in: parts[2], theme: theme)
        let caption = words(
            "第 \(l) 层第 \(h) 头的归纳分数是 \(Num.fixed(induction.repeated, 3))：在重复的后半段，它平均把这么多注意力放在“上次出现之后的那个 token”上（往回 \(n - 1) 个位置）；同样的位置在不重复的序列上得到 \(Num.fixed(induction.baseline, 3))。第 \(p) 层第 \(ph) 头在验证文本上平均把 \(Num.fixed(previous.previous, 3)) 的注意力给前一个 token。",
            "Layer \(l) head \(h) has an induction score of \(Num.fixed(induction.repeated, 3)): in the repeated half it puts that much attention, on average, on the token after the earlier occurrence (\(n - 1) positions back); the same offset on a sequence without a repeat gets \(Num.fixed(induction.baseline, 3)). On held-out text, layer \(p) head \(ph) gives the previous token \(Num.fixed(previous.previous, 3)) of its attention on average.")
        // The alt text says a stripe is there only when the chapter's rules say the head has one.
        let prevLine = previous.previous > HeadStatistics.threshold
            ? words("第一张有一条紧贴对角线下方的亮线", "the first has a bright line just under the diagonal")
            : words("第一张没有明显的“前一个 token”亮线", "the first has no clear previous-token line")
        let inductionLine = induction.repeated > HeadStatistics.inductionThreshold
            ? words("第二张在后半段有一条离对角线 \(n - 1) 格的亮线，第三张没有", "the second, in its second half, a line \(n - 1) cells left of the diagonal, which the third lacks")
            : words("第二、三张都没有离对角线 \(n - 1) 格的亮线", "neither the second nor the third has a line \(n - 1) cells left of the diagonal")
        let alt = words("三张 \(T)×\(T) 的注意力热图：\(prevLine)；\(inductionLine)",
                        "Three \(T)×\(T) attention heatmaps: \(prevLine); \(inductionLine)")
        return StageFigure(.inductionPattern, page: page, caption: caption, alt: alt, items: items, fitted: true)
    }
}

extension StageRenderer {
    /// The head statistics chapter 6 prints: previous-token weights over the held-out windows and
    /// induction scores on the model's induction probe.
    func headSurvey() throws(UserError) -> (previous: [HeadStatistic], induction: [InductionStatistic], probe: InductionProbe) {
        let text = try trainingText()
        let w = HeadStatistics.heldOutWindows
        let windows = HeadStatistics.evenlySpacedWindows(text.validation, count: w.count, length: min(w.length, config.contextLength))
        guard !windows.isEmpty else { throw UserError("the validation text is too short for \(w.count) windows of \(w.length) tokens") }
        let probe = HeadStatistics.inductionProbe(config: config, endOfText: bundle.tokenizer.endOfTextID)
        return (HeadStatistics.measure(model: model, windows: windows), HeadStatistics.induction(model: model, probe: probe), probe)
    }

    func inductionPatternFigure(_ p: StageParameters) throws(UserError) -> StageFigure {
        let survey = try headSurvey()
        let strongest = HeadStatistics.strongestInduction(survey.induction)
        let layer = try p.int("layer", default: strongest.layer, in: 0...(config.layers - 1))
        let head = try p.int("head", default: strongest.head, in: 0...(config.heads - 1))
        let induction = survey.induction[layer * config.heads + head]
        let previous = HeadStatistics.strongestPrevious(survey.previous)
        let repeated = trace(survey.probe.repeated[0]), fresh = trace(survey.probe.fresh[0])
        return StageFigures.inductionPattern(
            previous: previous, induction: induction, half: survey.probe.half,
            previousOnRepeat: matrix(repeated[TraceName.pattern(layer: previous.layer)]!, previous.head),
            inductionOnRepeat: matrix(repeated[TraceName.pattern(layer: layer)]!, head),
            inductionOnFresh: matrix(fresh[TraceName.pattern(layer: layer)]!, head), theme: theme, words: words)
    }
}
