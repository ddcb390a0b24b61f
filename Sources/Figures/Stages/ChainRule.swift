import TinyGPT

// Draws the chain rule P(w₁…wₙ) = Π P(w_t | w_<t) with the probabilities the traced forward pass
// (`unembed.hook_probs`) gives each token of a sentence, starting after <|endoftext|>.

extension StageFigures {
    /// Per-token conditional probabilities as bars, and their running product on a log axis.
    static func chainRule(tokens: [String], probabilities: [Double], theme: Theme, words: Words) -> StageFigure {
        var running: [Double] = []
        var product = 1.0
        for p in probabilities { product *= p; running.append(product) }
        let logSum = probabilities.reduce(0) { $0 + log(max($1, 1e-300)) }
        let page = Page(theme: theme, title: words("链式法则：句子的概率", "The chain rule: a sentence's probability"),
                        subtitle: words("P(句子) = Π P(w_t | w_<t) = \(NumberFormat.short(product, digits: 3))；ln P = \(Num.fixed(logSum, 2))",
                                        "P(sentence) = Π P(w_t | w_<t) = \(NumberFormat.short(product, digits: 3)); ln P = \(Num.fixed(logSum, 2))"))
        let panels = Panels.columns(page.body, [1.2, 1], gap: theme.gap * 3)
        let bars = BarChart(labels: tokens, values: probabilities, valueTitle: "P(w_t | w_<t)",
                            categoryTitle: words("token（按顺序）", "token (in order)"))
        var items = Titled(title: words("每个 token 的条件概率", "each token's conditional probability"), content: bars).draw(in: panels[0], theme: theme)
        let line = LineChart(series: [LineSeries(name: "", x: (1...probabilities.count).map(Double.init), y: running)],
                             xTitle: words("已乘入的 token 数", "tokens multiplied in"), yTitle: words("累积乘积（对数轴）", "running product (log axis)"), yScale: .log)
        items += Titled(title: words("逐个相乘", "multiplied one by one"), content: line).draw(in: panels[1], theme: theme)
        let low = probabilities.indices.min { probabilities[$0] < probabilities[$1] }!
        let caption = words(
            "把 \(tokens.count) 个条件概率相乘，得到整句的概率 \(NumberFormat.short(product, digits: 3))（ln P = \(Num.fixed(logSum, 2))）；最意外的是「\(tokens[low])」，只有 \(Num.percent(probabilities[low]))。",
            "Multiplying the \(tokens.count) conditional probabilities gives the sentence's probability, \(NumberFormat.short(product, digits: 3)) (ln P = \(Num.fixed(logSum, 2))); the most surprising token is \"\(tokens[low])\" at \(Num.percent(probabilities[low])).")
        let alt = words("条形图：每个 token 的条件概率；折线：累积乘积", "Bars of each token's conditional probability; a line of their running product")
        return StageFigure(.chainRule, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func chainRuleFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        // Documents start after <|endoftext|> in training, so it conditions the first token too;
        // a prompt that fills the context has no room for it, and its first token is left out.
        if ids.count < config.contextLength {
            let probs = targetProbabilities([bundle.tokenizer.endOfTextID] + ids)
            return StageFigures.chainRule(tokens: labels(ids), probabilities: probs, theme: theme, words: words)
        }
        return StageFigures.chainRule(tokens: labels(Array(ids.dropFirst())), probabilities: targetProbabilities(ids), theme: theme, words: words)
    }
}

import Foundation
