/// The last step of the forward pass, one dot product at a time: the final LayerNorm's output h at
/// `position` against every row of W_E (the unembedding is tied to the embedding), logit_v = h · e_v
/// = ‖h‖ ‖e_v‖ cos θ_v. One computation for the lesson's numbers and the `unembedding` figure.
///
///     let u = Unembedding(model: model, trace: trace, position: ids.count - 1)
///     u.top(5)         // the five rows h points at most, with their logits
public struct Unembedding: Sendable {
    /// One row of W_E and its score against h.
    public struct Row: Sendable, Hashable {
        public var id: Int
        /// h · e (the logit), ‖e‖, and cos θ between h and e.
        public var logit: Double
        public var norm: Double
        public var cosine: Double
        /// The row itself (C numbers).
        public var vector: [Float]
    }

    public let position: Int
    /// h = ln_f(x) at `position` (C numbers), and its length.
    public let h: [Float]
    public let hNorm: Double
    /// h · e_v for every token v of the vocabulary, in Double.
    public let logits: [Double]
    let table: [Float]
    let width: Int

    /// Reads `ln_final.hook_normalized` at `position` and multiplies it with the model's `wte.weight`.
    public init(model: GPT, trace: Trace, position: Int) {
        self.position = position
        let C = model.config.width, V = model.config.vocabSize
        width = C
        table = model.tensor("wte.weight")!.data
        h = Array(trace[TraceName.lnFinalNormalized]!.row(position))
        hNorm = h.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let hd = h.map(Double.init), t = table
        logits = (0..<V).map { v in (0..<C).reduce(0.0) { $0 + hd[$1] * Double(t[v * C + $1]) } }
    }

    /// The `k` highest logits, highest first (lower id on ties).
    public func top(_ k: Int) -> [Row] {
        let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        return order.prefix(k).map(row)
    }

    /// Token `id`'s row and score.
    public func row(_ id: Int) -> Row {
        let e = Array(table[(id * width)..<((id + 1) * width)])
        let n = e.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return Row(id: id, logit: logits[id], norm: n, cosine: logits[id] / max(1e-12, n * hNorm), vector: e)
    }
}
