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
    /// The k most probable next tokens as bars, the greedy choice highlighted; with `targets`,
    /// each counted word's share in the corpus as an outline over its token's bar.
    static func nextTokenBars(prompt: String, candidates: [Candidate], targets: [Double?] = [], theme: Theme, words: Words) -> StageFigure {
        let top = candidates[0]
        let mass = candidates.reduce(0) { $0 + $1.probability }
        let marked = targets.contains { $0 != nil }
        let page = Page(theme: theme, title: words("下一个 token 的概率", "Next-token probabilities"),
                        subtitle: marked
                            ? words("提示「\(prompt)」之后：实心条是模型的 softmax(logits)，虚线框是语料里这个提示后面各词出现的比例；上面的粗体数字是语料比例，下面是模型概率",
                                    "after \"\(prompt)\": filled bars are the model's softmax(logits), dashed outlines how often each word follows the prompt in the corpus; bold numbers: corpus share, below: model")
                            : words("提示「\(prompt)」之后，softmax(logits) 的前 \(candidates.count) 名；合计 \(Num.percent(mass))",
                                    "after \"\(prompt)\": the top \(candidates.count) of softmax(logits); together \(Num.percent(mass))"))
        let chart = BarChart(labels: candidates.map(\.label), values: candidates.map(\.probability), highlighted: 0,
                             valueTitle: words("概率", "probability"), categoryTitle: words("候选 token（按概率排序）", "candidate token (by probability)"),
                             digits: 2, marks: targets,
                             legend: marked ? .init(bars: words("模型", "model"), marks: words("语料中的比例", "share in the corpus")) : nil)
        var caption = words(
            "提示「\(prompt)」之后最可能的 token 是「\(top.label)」，概率 \(Num.percent(top.probability))（logit \(Num.fixed(top.logit))）；前 \(candidates.count) 名合计 \(Num.percent(mass))。",
            "After \"\(prompt)\" the most likely token is \"\(top.label)\" at \(Num.percent(top.probability)) (logit \(Num.fixed(top.logit))); the top \(candidates.count) hold \(Num.percent(mass)).")
        var alt = words("条形图：", "Bar chart: ") + candidates.map { "\($0.label) \(Num.percent($0.probability))" }.joined(separator: words("，", ", "))
        if marked {
            let pairs = zip(candidates, targets).compactMap { c, t in t.map { (c.label, $0) } }
            let list = pairs.map { "\($0.0) \(Num.percent($0.1))" }.joined(separator: words("，", ", "))
            caption += words("语料中的比例：\(list)。", " Shares in the corpus: \(list).")
            alt += words("；语料中的比例：", "; shares in the corpus: ") + list
        }
        return StageFigure(.nextTokenBars, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    /// The `k` most probable tokens after the last position of `ids`, by the trace's probabilities,
    /// followed by any of `include` that are not among them.
    func candidates(after ids: [Int], k: Int, include: [Int] = []) -> [Candidate] {
        let t = trace(ids), last = ids.count - 1
        let probs = Array(t[TraceName.probs]!.row(last)), logits = Array(t[TraceName.logits]!.row(last))
        var chosen = Array(Sampler.order(logits).prefix(k))
        for id in include where !chosen.contains(id) { chosen.append(id) }
        return chosen.map {
            Candidate(id: $0, label: bundle.tokenizer.displayText($0), probability: Double(probs[$0]), logit: Double(logits[$0]))
        }
    }

    func nextTokenBarsFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let prompt = try promptIDs(request)
        let k = try p.int("topK", default: 10, in: 1...40)
        // `start: document` reads the prompt as the start of a document, after `<|endoftext|>`, as training did.
        let start = try p.choice("start", default: "prompt", in: ["prompt", "document"])
        let ids = start == "document" ? [bundle.tokenizer.endOfTextID] + prompt : prompt
        // Each counted word's token (a word of several tokens is marked on its first).
        // `targets: corpus` marks the corpus's split, which the caller counts and passes in the request.
        let split: ContinuationCounts?
        switch try p.choice("targets", default: "none", in: ["none", "corpus"]) {
        case "corpus":
            guard let t = request.targets else {
                throw UserError("stage nextTokenBars: targets = corpus needs the corpus counts in the request (the lessons pass them)")
            }
            split = t
        default: split = nil
        }
        let wordIDs = split?.words.compactMap { bundle.tokenizer.encode($0).first } ?? []
        let candidates = candidates(after: ids, k: k, include: wordIDs)
        let targets: [Double?] = split.map { s in
            candidates.map { c in wordIDs.firstIndex(of: c.id).map { s.share($0) } }
        } ?? []
        return StageFigures.nextTokenBars(prompt: request.prompt, candidates: candidates, targets: targets, theme: theme, words: words)
    }
}
