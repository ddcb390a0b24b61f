import Foundation

// The token embedding W_E (`wte.weight`) seen in two dimensions: which rows are projected and how.
// Chapter 4's figure and its text both come from `EmbeddingProjection`, so they cannot disagree.

/// The first principal components of a set of row vectors.
public struct PCA: Sendable {
    public var components: [[Double]]
    /// Share of the total variance along each component.
    public var explained: [Double]
    public var mean: [Double]

    /// Power iteration from a fixed start (deterministic), with deflation; each component's sign
    /// is chosen so that its largest-magnitude entry is positive.
    public init(rows: [[Double]], count: Int = 2, iterations: Int = 300) {
        let n = Double(rows.count), d = rows[0].count
        let mean = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        self.mean = mean
        var cov = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for r in rows {
            let x = (0..<d).map { r[$0] - mean[$0] }
            for i in 0..<d { for j in 0..<d { cov[i][j] += x[i] * x[j] / n } }
        }
        let total = (0..<d).reduce(0) { $0 + cov[$1][$1] }
        var components: [[Double]] = [], explained: [Double] = []
        for _ in 0..<count {
            var v = (0..<d).map { 1 / Double(d).squareRoot() + Double($0) * 1e-3 }
            var lambda = 0.0
            for _ in 0..<iterations {
                var w = (0..<d).map { i in (0..<d).reduce(0) { $0 + cov[i][$1] * v[$1] } }
                let norm = (w.reduce(0) { $0 + $1 * $1 }).squareRoot()
                guard norm > 0 else { break }
                lambda = norm
                for i in 0..<d { w[i] /= norm }
                v = w
            }
            if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            components.append(v)
            explained.append(total > 0 ? lambda / total : 0)
            // Deflate: remove this component's variance.
            for i in 0..<d { for j in 0..<d { cov[i][j] -= lambda * v[i] * v[j] } }
        }
        self.components = components
        self.explained = explained
    }

    public func project(_ r: [Double]) -> [Double] {
        components.map { c in c.indices.reduce(0) { $0 + c[$1] * (r[$1] - mean[$1]) } }
    }
}


/// W_E rows on their first two principal components.
///
///     let p = EmbeddingProjection(model: model, tokenizer: tokenizer, promptIDs: [], count: 200)
///     p.points[0]   // (PC1, PC2) of p.ids[0]
public struct EmbeddingProjection: Sendable {
    /// The projected token ids: the prompt's (deduplicated, in order), then learned words in merge
    /// order, then single characters, then bytes — words first because every merge was a frequent
    /// pair, while a character that only occurs inside words (工 in 人工) is never a token in
    /// training and keeps an untrained row that would dominate the first component.
    public var ids: [Int]
    /// How many of `ids` came from the prompt.
    public var promptCount: Int
    /// (PC1, PC2) per id.
    public var points: [[Double]]
    /// Share of the variance along PC1 and PC2.
    public var explained: [Double]

    public init(model: GPT, tokenizer: Tokenizer, promptIDs: [Int], count: Int) {
        var ids: [Int] = [], seen = Set<Int>()
        for id in promptIDs where seen.insert(id).inserted { ids.append(id) }
        promptCount = ids.count
        let V = model.config.vocabSize
        let order = tokenizer.merges.map(\.result) + Array(Tokenizer.firstLearnedID..<V) + Array(0..<Tokenizer.firstLearnedID)
        for id in order where id < V && ids.count < max(count, promptCount) && seen.insert(id).inserted { ids.append(id) }
        let wte = model.tensor("wte.weight")!
        let rows = ids.map { wte.row($0).map(Double.init) }
        let pca = PCA(rows: rows)
        self.ids = ids
        points = rows.map { pca.project($0) }
        explained = pca.explained
    }
}
