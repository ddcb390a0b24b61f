import Foundation

/// What one attention head does on average, measured over a set of token windows.
///
/// For every query position i ≥ 2 of every window (positions 0 and 1 are left out: there the
/// first, the previous and the own token coincide), the head's pattern row is read and
/// - `previous` is the weight on key i − 1,
/// - `first` the weight on key 0,
/// - `selfWeight` the weight on key i,
/// - `entropy` the row's entropy divided by ln(i + 1), its largest possible value (1 = uniform).
/// Each statistic is the mean over all those rows.
public struct HeadStatistic: Sendable, Equatable {
    /// Layer and head, 0-based.
    public var layer: Int
    public var head: Int
    public var previous: Double
    public var first: Double
    public var selfWeight: Double
    public var entropy: Double
    /// How many pattern rows were averaged.
    public var rows: Int
}

/// The label a head earns from its statistics.
public enum HeadKind: String, Sendable, Equatable {
    case previous, first, `self`, diffuse, mixed
}

/// The rule behind every head label: chapter 6's table and the head-pattern figure's headings.
public enum HeadStatistics {
    /// A head is a previous-, first- or self-token head when its mean weight on that key exceeds this.
    public static let threshold = 0.5
    /// A head is diffuse when its mean normalised entropy exceeds this (and it earned no other label).
    public static let diffuseThreshold = 0.9

    /// Mean statistics of every head over `windows` (each at least 3 tokens), from traced passes.
    public static func measure(model: GPT, windows: [[Int]]) -> [HeadStatistic] {
        measure(traces: windows.filter { $0.count >= 3 }.map { model.forward($0, trace: true).trace! },
                layers: model.config.layers, heads: model.config.heads)
    }

    /// Mean statistics of every head over the pattern rows i ≥ 2 of the given traces (a figure
    /// passes the one trace it draws; the lessons pass many). Traces shorter than 3 tokens add no rows.
    public static func measure(traces: [Trace], layers L: Int, heads NH: Int) -> [HeadStatistic] {
        var sums = [[Double]](repeating: [0, 0, 0, 0], count: L * NH)
        var rows = 0
        for trace in traces where trace.ids.count >= 3 {
            let T = trace.ids.count
            rows += T - 2
            for l in 0..<L {
                let pattern = trace[TraceName.pattern(layer: l)]!
                for h in 0..<NH {
                    var s = sums[l * NH + h]
                    for i in 2..<T {
                        let base = (h * T + i) * T
                        s[0] += Double(pattern.data[base + i - 1])
                        s[1] += Double(pattern.data[base])
                        s[2] += Double(pattern.data[base + i])
                        var entropy = 0.0
                        for j in 0...i {
                            let w = Double(pattern.data[base + j])
                            if w > 0 { entropy -= w * log(w) }
                        }
                        s[3] += entropy / log(Double(i + 1))
                    }
                    sums[l * NH + h] = s
                }
            }
        }
        let n = Double(max(rows, 1))
        return (0..<(L * NH)).map { i in
            HeadStatistic(layer: i / NH, head: i % NH, previous: sums[i][0] / n, first: sums[i][1] / n,
                          selfWeight: sums[i][2] / n, entropy: sums[i][3] / n, rows: rows)
        }
    }

    /// The weight a query would give any one key if it spread attention evenly: the mean of
    /// 1/(i + 1) over the same rows `measure` averages. The baseline for `previous`, `first` and `selfWeight`.
    public static func uniformShare(windows: [[Int]]) -> Double {
        var sum = 0.0, n = 0
        for ids in windows where ids.count >= 3 { for i in 2..<ids.count { sum += 1 / Double(i + 1); n += 1 } }
        return n == 0 ? 0 : sum / Double(n)
    }

    /// The label of one head: the kind of key with the largest mean weight, if that weight exceeds
    /// `threshold`; otherwise diffuse if the entropy ratio exceeds `diffuseThreshold`; otherwise mixed.
    public static func classifyHeads(_ stats: [HeadStatistic]) -> [HeadKind] {
        stats.map { s in
            let best = [(HeadKind.previous, s.previous), (.first, s.first), (.self, s.selfWeight)].max { $0.1 < $1.1 }!
            if best.1 > threshold { return best.0 }
            if s.entropy > diffuseThreshold { return .diffuse }
            return .mixed
        }
    }
}

/// One head's induction score (TransformerLens's): on sequences whose second half repeats the
/// first, the mean weight a query in the repeat gives the key right after its token's earlier
/// occurrence, n − 1 positions back; beside it the same offset on sequences whose second half is
/// fresh tokens, where nothing repeats (the baseline a head earns without copying).
public struct InductionStatistic: Sendable, Equatable {
    public var layer: Int
    public var head: Int
    /// Mean weight on key q − (n − 1) over the repeated half's queries.
    public var repeated: Double
    /// The same mean on the sequences without a repeat.
    public var baseline: Double
    /// How many pattern rows each mean averages.
    public var rows: Int
}

/// The sequences an induction score is measured on: `prefix` (what a document starts with), then
/// n distinct random tokens, then either the same n again or n fresh ones (distinct from the first).
public struct InductionProbe: Sendable, Equatable {
    /// Tokens before the random part (e.g. `<|endoftext|>`, as every training document starts).
    public var prefix: [Int]
    /// n: the length of each half.
    public var half: Int
    /// prefix + A + A.
    public var repeated: [[Int]]
    /// prefix + A + B, B fresh: the baseline.
    public var fresh: [[Int]]

    public init(prefix: [Int], half: Int, repeated: [[Int]], fresh: [[Int]]) {
        self.prefix = prefix; self.half = half; self.repeated = repeated; self.fresh = fresh
    }

    /// `count` sequences of each kind, tokens drawn from `pool` without replacement within a
    /// sequence (so "its earlier occurrence" is one position), seeded. `pool` needs 2·`half` tokens.
    public static func random(pool: [Int], half n: Int, count: Int, prefix: [Int], seed: UInt64) -> InductionProbe {
        precondition(n >= 2 && Set(pool).count >= 2 * n, "the pool must hold at least 2·half distinct tokens")
        let distinct = Array(Set(pool)).sorted()
        var rng = SplitMix64(seed: seed)
        var repeated: [[Int]] = [], fresh: [[Int]] = []
        for _ in 0..<count {
            let drawn = rng.distinct(2 * n, from: distinct)
            let a = Array(drawn[0..<n]), b = Array(drawn[n..<(2 * n)])
            repeated.append(prefix + a + a)
            fresh.append(prefix + a + b)
        }
        return InductionProbe(prefix: prefix, half: n, repeated: repeated, fresh: fresh)
    }

    /// The query positions of the second half: prefix + n ..< prefix + 2n.
    public var queries: Range<Int> { (prefix.count + half)..<(prefix.count + 2 * half) }
    /// The key an induction head attends to from query q: the token after q's earlier occurrence.
    public func key(for query: Int) -> Int { query - (half - 1) }
}

extension HeadStatistics {
    /// A head is an induction head when its induction score exceeds this.
    public static let inductionThreshold = 0.4
    /// A score within this of its baseline is read as "repeating changes nothing measurable".
    public static let inductionMargin = 0.05

    /// The induction score of every head on `probe`'s sequences, from traced passes.
    public static func induction(model: GPT, probe: InductionProbe) -> [InductionStatistic] {
        let trace = { (ids: [Int]) in model.forward(ids, trace: true).trace! }
        return induction(repeated: probe.repeated.map(trace), fresh: probe.fresh.map(trace), probe: probe,
                         layers: model.config.layers, heads: model.config.heads)
    }

    /// The induction score of every head from traces of `probe.repeated` and `probe.fresh` (same order).
    public static func induction(repeated: [Trace], fresh: [Trace], probe: InductionProbe, layers L: Int, heads NH: Int) -> [InductionStatistic] {
        let a = stripe(repeated, probe: probe, layers: L, heads: NH), b = stripe(fresh, probe: probe, layers: L, heads: NH)
        return (0..<(L * NH)).map { i in
            InductionStatistic(layer: i / NH, head: i % NH, repeated: a.means[i], baseline: b.means[i], rows: a.rows)
        }
    }

    /// Mean pattern weight on key q − (n − 1) over the second-half queries q of the traces.
    static func stripe(_ traces: [Trace], probe: InductionProbe, layers L: Int, heads NH: Int) -> (means: [Double], rows: Int) {
        var sums = [Double](repeating: 0, count: L * NH)
        var rows = 0
        for trace in traces {
            let T = trace.ids.count
            precondition(T >= probe.queries.upperBound, "a trace is shorter than the probe's sequences")
            rows += probe.queries.count
            for l in 0..<L {
                let pattern = trace[TraceName.pattern(layer: l)]!
                for h in 0..<NH {
                    for q in probe.queries { sums[l * NH + h] += Double(pattern.data[(h * T + q) * T + probe.key(for: q)]) }
                }
            }
        }
        return (sums.map { $0 / Double(max(rows, 1)) }, rows)
    }
}

extension HeadStatistics {
    /// The held-out windows chapter 6 (and the figures that quote it) measure heads on.
    public static let heldOutWindows = (count: 16, length: 32)
    /// How many sequences of each kind the induction score averages, and their seed.
    public static let inductionSequences = (count: 16, seed: UInt64(0x1D0C_710E))

    /// `count` windows of `length` tokens (at most the stream's) at evenly spaced offsets (no randomness).
    public static func evenlySpacedWindows(_ stream: [Int], count: Int, length: Int) -> [[Int]] {
        let room = stream.count - length
        guard room > 0, count > 0 else { return [] }
        return (0..<count).map { i in
            let start = room * i / max(1, count)
            return Array(stream[start..<(start + length)])
        }
    }

    /// The induction probe of a model: `<|endoftext|>` first (every training document has one
    /// before it), then two halves of n = (context − 1) / 2 tokens, as long as the context allows;
    /// tokens drawn from every ordinary token of the vocabulary (all but `<|endoftext|>`).
    public static func inductionProbe(config: GPTConfig, endOfText: Int) -> InductionProbe {
        let pool = (0..<config.vocabSize).filter { $0 != endOfText }
        let n = min((config.contextLength - 1) / 2, pool.count / 2)
        return InductionProbe.random(pool: pool, half: n, count: inductionSequences.count, prefix: [endOfText], seed: inductionSequences.seed)
    }
}

extension HeadStatistics {
    /// The head with the most weight on the previous token (ties: the earliest layer and head).
    public static func strongestPrevious(_ stats: [HeadStatistic]) -> HeadStatistic {
        stats.max { $0.previous != $1.previous ? $0.previous < $1.previous : ($0.layer, $0.head) > ($1.layer, $1.head) }!
    }

    /// The head with the highest induction score (ties: the earliest layer and head).
    public static func strongestInduction(_ stats: [InductionStatistic]) -> InductionStatistic {
        stats.max { $0.repeated != $1.repeated ? $0.repeated < $1.repeated : ($0.layer, $0.head) > ($1.layer, $1.head) }!
    }
}
