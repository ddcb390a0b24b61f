/// Block `layer`'s first step of attention: every position's LN₁ output x (C numbers) times
/// W_QKV (C × 3C) plus its bias gives 3C numbers, read as q, k and v (C each), and each of those
/// is cut into the heads' slices of `headSize`. Read from a trace (`ln1.hook_normalized`,
/// `attn.hook_q|hook_k|hook_v`, q and k before any rotation). One computation for chapter 5's
/// numbers and the `qkvProjection` figure.
///
///     let p = QKVProjection(trace: trace, layer: 0)
///     p.slice(.q, head: 0)          // (T, 16): what head 0 compares
///     p.dot(query: 1, key: 0, head: 0)   // q₁ · k₀ before dividing by √d_k
public struct QKVProjection: Sendable {
    public enum Part: Int, CaseIterable, Sendable { case q, k, v }

    public let layer: Int
    public let heads: Int
    public let headSize: Int
    /// (T, C) rows: the LayerNorm output the projection reads.
    public let input: [[Float]]
    /// (T, C) rows of q, k, v (heads side by side, head h in columns h·headSize..<(h+1)·headSize).
    public let parts: [[[Float]]]

    /// Reads block `layer` of `trace`.
    public init(trace: Trace, layer: Int) {
        self.layer = layer
        let x = trace[TraceName.lnNormalized(layer: layer, 1)]!, q = trace[TraceName.q(layer: layer)]!
        let T = x.shape[0]
        heads = q.shape[1]
        headSize = q.shape[2]
        input = (0..<T).map { Array(x.row($0)) }
        parts = [TraceName.q(layer: layer), TraceName.k(layer: layer), TraceName.v(layer: layer)].map { name in
            let t = trace[name]!, C = t.shape[1] * t.shape[2]
            return (0..<T).map { Array(t.data[($0 * C)..<(($0 + 1) * C)]) }
        }
    }

    /// Positions.
    public var positions: Int { input.count }
    /// The width C of x and of each of q, k, v.
    public var width: Int { heads * headSize }

    /// The 3C numbers of position `t`: q, then k, then v.
    public func row(_ t: Int) -> [Float] { parts[0][t] + parts[1][t] + parts[2][t] }

    /// (T, headSize): one head's slice of q, k or v.
    public func slice(_ part: Part, head: Int) -> [[Float]] {
        parts[part.rawValue].map { Array($0[(head * headSize)..<((head + 1) * headSize)]) }
    }

    /// q_query · k_key of one head, in Double, before any scaling.
    public func dot(query: Int, key: Int, head: Int) -> Double {
        let lo = head * headSize
        return (lo..<(lo + headSize)).reduce(0.0) { $0 + Double(parts[0][query][$1]) * Double(parts[1][key][$1]) }
    }
}
