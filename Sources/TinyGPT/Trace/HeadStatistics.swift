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
