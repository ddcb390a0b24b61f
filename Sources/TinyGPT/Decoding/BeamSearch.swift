import Foundation

/// Beam search that records every expansion.
///
/// Each step, every live hypothesis proposes its W + 1 most probable next tokens (ties by lowest
/// id). That is enough: the W best live children never need more than W from one parent, and at
/// most one of the W + 1 is end-of-text. All proposals are sorted by score (ties: earlier parent,
/// then lower token id) and walked in order until W live children are taken: an end-of-text
/// proposal met on the way is set aside as finished; everything after is pruned.
///
/// Stopping: after `maxSteps` steps, when no hypothesis is live, or as soon as the best finished
/// score is at least `cumulative / maxSteps^A` of every live hypothesis. That bound is exact: the
/// log-probability only falls and the length is at most `maxSteps`, so no continuation can beat it.
/// The output is the best of the finished and the last live hypotheses (ties: finished first,
/// then lower node id).
///
///     let search = BeamSearch(model: model, prompt: [464], width: 4, lengthPenalty: 0,
///                             maxSteps: 16, endOfText: 50256, cached: true)
///     let tree = search.run()
struct BeamSearch<Model: LanguageModel> {
    let model: Model
    let prompt: [Int]
    let width: Int
    let lengthPenalty: Double
    /// Most tokens any hypothesis may have: min(max tokens, room left in the context).
    let maxSteps: Int
    let endOfText: Int?
    let cached: Bool

    private struct Live {
        var node: Int
        var tokens: [Int]
        var cumulative: Double
        var feed: LogitFeed<Model>
    }

    func score(_ cumulative: Double, length: Int) -> Double {
        lengthPenalty == 0 || length == 0 ? cumulative : cumulative / pow(Double(length), lengthPenalty)
    }

    func run() -> BeamTree {
        var nodes = [BeamNode(id: 0, parent: nil, token: nil, step: 0, logprob: 0, cumulative: 0,
                              score: 0, status: .kept)]
        var live = [Live(node: 0, tokens: [], cumulative: 0, feed: LogitFeed(model: model, cached: cached))]
        var finished: [Int] = []
        var step = 0
        while step < maxSteps, !live.isEmpty {
            step += 1
            // (index in live, node id) of every proposal, nodes appended parent by parent.
            var proposals: [(beam: Int, node: Int)] = []
            for b in live.indices {
                let logits = live[b].feed.logits(after: prompt + live[b].tokens)
                let logp = Sampler.logSoftmax(logits)
                for token in Sampler.order(logits).prefix(width + 1) {
                    let cumulative = live[b].cumulative + logp[token]
                    nodes.append(BeamNode(id: nodes.count, parent: live[b].node, token: token, step: step,
                                          logprob: logp[token], cumulative: cumulative,
                                          score: score(cumulative, length: step), status: .pruned))
                    proposals.append((b, nodes.count - 1))
                }
            }
            proposals.sort { x, y in
                let a = nodes[x.node], b = nodes[y.node]
                if a.score != b.score { return a.score > b.score }
                return x.beam != y.beam ? x.beam < y.beam : a.token! < b.token!
            }
            var next: [Live] = []
            for p in proposals {
                if next.count == width { break }
                let token = nodes[p.node].token!
                if token == endOfText {
                    nodes[p.node].status = .finished
                    finished.append(p.node)
                } else {
                    nodes[p.node].status = .kept
                    let parent = live[p.beam]
                    next.append(Live(node: p.node, tokens: parent.tokens + [token],
                                     cumulative: nodes[p.node].cumulative, feed: parent.feed.branch()))
                }
            }
            live = next
            if let bestFinished = finished.map({ nodes[$0].score }).max(), step < maxSteps {
                let bound = live.map { score($0.cumulative, length: maxSteps) }.max() ?? -.infinity
                if bestFinished >= bound { break }
            }
        }
        var ranked = finished + live.map(\.node)
        if ranked.isEmpty { ranked = [0] }  // no room in the context: the prompt alone
        ranked.sort { x, y in
            let a = nodes[x], b = nodes[y]
            if a.score != b.score { return a.score > b.score }
            if (a.status == .finished) != (b.status == .finished) { return a.status == .finished }
            return x < y
        }
        return BeamTree(width: width, lengthPenalty: lengthPenalty, nodes: nodes, ranked: ranked,
                        best: ranked[0])
    }
}
