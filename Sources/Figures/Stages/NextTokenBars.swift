import TinyGPT

// Draws what the unembedding and softmax (`GPT.forwardPass`, Sources/TinyGPT/Model/GPT.swift,
// `softmaxForward`) compute for the last position: P(next token | prompt).

/// One candidate token and its probability.
struct Candidate: Hashable {
    var id: Int
    var label: String
    var probability: Double
    var logit: Double
}

extension StageFigures {
    /// The k most probable next tokens as bars, the greedy choice highlighted.
    static func nextTokenBars(prompt: String, candidates: [Candidate], theme: Theme, words: Words) -> StageFigure {
        let top = candidates[0]
        let mass = candidates.reduce(0) { $0 + $1.probability }
        let page = Page(theme: theme, title: words("下一个 token 的概率", "Next-token probabilities"),
                        subtitle: words("提示「\(prompt)」之后，softmax(logits) 的前 \(candidates.count) 名；合计 \(Num.percent(mass))",
                                        "after \"\(prompt)\": the top \(candidates.count) of softmax(logits); together \(Num.percent(mass))"))
        let chart = BarChart(labels: candidates.map(\.label), values: candidates.map(\.probability), highlighted: 0,
                             valueTitle: words("概率", "probability"), categoryTitle: words("候选 token（按概率排序）", "candidate token (by probability)"),
                             digits: 2)
        let caption = words(
            "提示「\(prompt)」之后最可能的 token 是「\(top.label)」，概率 \(Num.percent(top.probability))（logit \(Num.fixed(top.logit))）；前 \(candidates.count) 名合计 \(Num.percent(mass))。",
            "After \"\(prompt)\" the most likely token is \"\(top.label)\" at \(Num.percent(top.probability)) (logit \(Num.fixed(top.logit))); the top \(candidates.count) hold \(Num.percent(mass)).")
        let alt = words("条形图：", "Bar chart: ") + candidates.map { "\($0.label) \(Num.percent($0.probability))" }.joined(separator: words("，", ", "))
        return StageFigure(.nextTokenBars, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    /// The `k` most probable tokens after the last position of `ids`, by the trace's probabilities.
    func candidates(after ids: [Int], k: Int) -> [Candidate] {
        let t = trace(ids), last = ids.count - 1
        let probs = Array(t[TraceName.probs]!.row(last)), logits = Array(t[TraceName.logits]!.row(last))
        return Sampler.order(logits).prefix(k).map {
            Candidate(id: $0, label: bundle.tokenizer.displayText($0), probability: Double(probs[$0]), logit: Double(logits[$0]))
        }
    }

    func nextTokenBarsFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let k = try p.int("topK", default: 10, in: 1...40)
        return StageFigures.nextTokenBars(prompt: request.prompt, candidates: candidates(after: ids, k: k), theme: theme, words: words)
    }
}
