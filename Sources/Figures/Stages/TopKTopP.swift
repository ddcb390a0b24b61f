import TinyGPT

// Draws the four decisions `Sampler` (Sources/TinyGPT/Decoding/Sampler.swift) can make from one
// logit vector: greedy, temperature sampling, top-k and top-p, each with its cut-off and the
// token the same seeded draw picks.

extension StageFigures {
    /// Greedy | temperature | top-k | top-p over the same top tokens.
    static func topKTopP(prompt: String, panels: [DrawPanel], order: [Int], k: Int, p: Double, label: (Int) -> String,
                         theme: Theme, words: Words) -> StageFigure
    {
        let page = Page(theme: theme, title: words("同一组 logits，四种选法", "One set of logits, four ways to choose"),
                        subtitle: words("提示「\(prompt)」；虚线右边的灰色条被截掉；留下的重新归一化（虚线框，粗体数字）后再抽；高亮的是选中的 token",
                                        "prompt \"\(prompt)\"; grey bars right of a dashed line are cut; the kept ones are renormalised (dashed outlines, bold numbers) before the draw; highlighted: the token chosen"))
        let items = drawPanels(panels, order: order, label: label, in: page.body, theme: theme, words: words)
        let keptP = panels[3].keep ?? order.count
        let caption = words(
            "贪婪选「\(label(panels[0].chosen))」；top-k = \(k) 只留 \(k) 个候选；top-p = \(NumberFormat.short(p, digits: 3)) 留下累计概率达到 \(NumberFormat.short(p, digits: 3)) 的 \(keptP) 个，抽中「\(label(panels[3].chosen))」。",
            "Greedy takes \"\(label(panels[0].chosen))\"; top-k = \(k) keeps \(k) candidates; top-p = \(NumberFormat.short(p, digits: 3)) keeps the \(keptP) whose mass reaches \(NumberFormat.short(p, digits: 3)) and draws \"\(label(panels[3].chosen))\".")
        let alt = words("四个条形图：贪婪、温度采样、top-k、top-p，带截断线", "Four bar charts: greedy, temperature, top-k and top-p with their cut-off lines")
        return StageFigure(.topKTopP, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func topKTopPFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let k = try p.int("k", default: 5, in: 1...min(30, config.vocabSize))
        let topP = try p.double("p", default: 0.9, in: 0.01...1)
        let logits = lastLogits(ids)
        let o = request.options
        let T = Double(o?.temperature ?? 1), seed = o?.seed ?? 0
        let panels = [
            drawPanel(logits, title: words("贪婪", "greedy"), temperature: 0, topK: nil, topP: nil, seed: seed),
            drawPanel(logits, title: words("采样 T = \(NumberFormat.short(T, digits: 3))", "sample at T = \(NumberFormat.short(T, digits: 3))"), temperature: T, topK: nil, topP: nil, seed: seed),
            drawPanel(logits, title: "top-k, k = \(k)", temperature: T, topK: k, topP: nil, seed: seed) { _ in "k = \(k)" },
            drawPanel(logits, title: "top-p, p = \(NumberFormat.short(topP, digits: 3))", temperature: T, topK: nil, topP: topP, seed: seed) { n in
                self.words("留 \(n) 个", "keeps \(n)")
            },
        ]
        let shown = min(24, max(10, k + 3, (panels[3].keep ?? 0) + 3))
        return StageFigures.topKTopP(prompt: request.prompt, panels: panels, order: Array(Sampler.order(logits).prefix(shown)), k: k, p: topP,
                                     label: bundle.tokenizer.displayText, theme: theme, words: words)
    }
}
