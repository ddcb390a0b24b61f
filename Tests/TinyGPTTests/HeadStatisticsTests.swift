import Foundation
import Testing
@testable import TinyGPT

private let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A one-layer trace whose heads follow hand-written rules: `rule(ids, query)` returns the key a
/// head puts all its weight on (nil: spread evenly over keys 0...query).
private func handTrace(_ ids: [Int], heads rules: [@Sendable ([Int], Int) -> Int?]) -> Trace {
    let T = ids.count, NH = rules.count
    var data = [Float](repeating: 0, count: NH * T * T)
    for (h, rule) in rules.enumerated() {
        for q in 0..<T {
            if let k = rule(ids, q) {
                precondition(k <= q)
                data[(h * T + q) * T + k] = 1
            } else {
                for k in 0...q { data[(h * T + q) * T + k] = 1 / Float(q + 1) }
            }
        }
    }
    return Trace(ids: ids, tensors: [TraceName.pattern(layer: 0): Tensor(shape: [NH, T, T], data: data)])
}

/// An induction head by its definition: attend to the token after the latest earlier occurrence
/// of the query's token; with none, to position 0.
private let inductionRule: @Sendable ([Int], Int) -> Int? = { ids, q in
    guard let j = ids[..<q].lastIndex(of: ids[q]) else { return 0 }
    return j + 1
}
private let previousRule: @Sendable ([Int], Int) -> Int? = { _, q in max(q - 1, 0) }
private let uniformRule: @Sendable ([Int], Int) -> Int? = { _, _ in nil }

@Suite struct HeadStatisticsTests {
    let probe = InductionProbe.random(pool: Array(1..<40), half: 6, count: 5, prefix: [0], seed: 7)

    @Test func probeSequencesRepeatOrNot() {
        #expect(probe.repeated.count == 5 && probe.fresh.count == 5)
        for (r, f) in zip(probe.repeated, probe.fresh) {
            #expect(r.count == 13 && f.count == 13 && r[0] == 0 && f[0] == 0)
            #expect(Array(r[1...6]) == Array(r[7...12]), "the repeat copies the first half")
            #expect(Array(f[1...6]) == Array(r[1...6]), "both kinds share the first half")
            #expect(Set(f[1...]).count == 12, "the fresh sequence repeats no token")
            #expect(Set(r[1...6]).count == 6)
        }
        #expect(probe.queries == 7..<13)
        #expect(probe.key(for: 7) == 2 && probe.key(for: 12) == 7)
        // The key after the earlier occurrence holds the token that comes next in the repeat.
        let r = probe.repeated[0]
        for q in probe.queries.dropLast() { #expect(r[probe.key(for: q)] == r[q + 1]) }
        #expect(InductionProbe.random(pool: Array(1..<40), half: 6, count: 5, prefix: [0], seed: 7) == probe)
        #expect(InductionProbe.random(pool: Array(1..<40), half: 6, count: 5, prefix: [0], seed: 8) != probe)
    }

    /// Hand-built heads with known scores: the induction rule scores 1 on repeats and 0 without them
    /// (its fallback, key 0, is never the stripe); a previous-token head scores 0 on both (n > 2);
    /// an even head scores the mean of 1/(q + 1) over the second-half queries on both.
    @Test func handBuiltHeadsScoreWhatTheyDo() {
        let rules = [inductionRule, previousRule, uniformRule]
        let stats = HeadStatistics.induction(repeated: probe.repeated.map { handTrace($0, heads: rules) },
                                             fresh: probe.fresh.map { handTrace($0, heads: rules) },
                                             probe: probe, layers: 1, heads: 3)
        #expect(stats.map(\.head) == [0, 1, 2] && stats.allSatisfy { $0.rows == 5 * 6 })
        #expect(stats[0].repeated == 1 && stats[0].baseline == 0)
        #expect(stats[1].repeated == 0 && stats[1].baseline == 0)
        let even = probe.queries.map { 1 / Double($0 + 1) }.reduce(0, +) / Double(probe.queries.count)
        #expect(abs(stats[2].repeated - even) < 1e-6 && abs(stats[2].baseline - even) < 1e-6)
        #expect(stats[0].repeated > HeadStatistics.inductionThreshold && stats[2].repeated < HeadStatistics.inductionThreshold)
        // The previous-token rule of `measure` sees the same previous-token head as one.
        let prev = HeadStatistics.measure(traces: probe.repeated.map { handTrace($0, heads: rules) }, layers: 1, heads: 3)
        #expect(prev[1].previous == 1 && HeadStatistics.classifyHeads(prev)[1] == .previous)
    }

    /// The score of the shipped model equals a recomputation straight from its traced patterns.
    @Test func shippedModelScoreIsItsPatternsStripe() throws {
        let bundle = try ModelBundle.load(directory: repoRoot.appendingPathComponent("lessons/model"))
        let model = bundle.model, n = 10
        let probe = InductionProbe.random(pool: Array(1..<model.config.vocabSize), half: n, count: 2,
                                          prefix: [bundle.tokenizer.endOfTextID], seed: 3)
        let stats = HeadStatistics.induction(model: model, probe: probe)
        for (kind, seqs) in [("repeated", probe.repeated), ("fresh", probe.fresh)] {
            var sums = [Double](repeating: 0, count: model.config.layers * model.config.heads)
            var rows = 0
            for ids in seqs {
                let trace = model.forward(ids, trace: true).trace!
                for q in (1 + n)..<(1 + 2 * n) {
                    rows += 1
                    for l in 0..<model.config.layers {
                        let p = trace[TraceName.pattern(layer: l)]!
                        for h in 0..<model.config.heads { sums[l * model.config.heads + h] += Double(p[h, q, q - n + 1]) }
                    }
                }
            }
            for s in stats {
                let brute = sums[s.layer * model.config.heads + s.head] / Double(rows)
                let measured = kind == "repeated" ? s.repeated : s.baseline
                #expect(abs(measured - brute) < 1e-9, "\(kind) L\(s.layer)H\(s.head): \(measured) vs \(brute)")
            }
        }
    }
}
