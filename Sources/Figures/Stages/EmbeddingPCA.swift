import TinyGPT

// Draws the token embedding W_E (`wte.weight`) projected on its first two principal components,
// computed here by power iteration on the covariance.

/// The first principal components of a set of row vectors.
struct PCA {
    var components: [[Double]]
    /// Share of the total variance along each component.
    var explained: [Double]
    var mean: [Double]

    /// Power iteration from a fixed start (deterministic), with deflation; each component's sign
    /// is chosen so that its largest-magnitude entry is positive.
    init(rows: [[Double]], count: Int = 2, iterations: Int = 300) {
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

    func project(_ r: [Double]) -> [Double] {
        components.map { c in c.indices.reduce(0) { $0 + c[$1] * (r[$1] - mean[$1]) } }
    }
}

extension StageFigures {
    /// Tokens as points on PC1 × PC2, the prompt's tokens coloured and labelled first.
    static func embeddingPCA(points: [LabeledScatter.Item], explained: [Double], count: Int, promptCount: Int,
                             theme: Theme, words: Words) -> StageFigure
    {
        let scatter = LabeledScatter(points: points, xTitle: words("主成分 1（\(Num.percent(explained[0])) 方差）", "PC 1 (\(Num.percent(explained[0])) of variance)"),
                                     yTitle: words("主成分 2（\(Num.percent(explained[1])) 方差）", "PC 2 (\(Num.percent(explained[1])) of variance)"))
        let page = Page(theme: theme, title: words("词嵌入的二维投影（PCA）", "Token embeddings in 2-D (PCA)"),
                        subtitle: words("W_E 的 \(count) 行投影到前两个主成分；提示里的 \(promptCount) 个 token 另色标出",
                                        "\(count) rows of W_E on their first two principal components; the prompt's \(promptCount) tokens in colour"))
        let caption = words(
            "前两个主成分解释了 \(Num.percent(explained[0] + explained[1])) 的方差；相近的点是模型学得相似的 token。",
            "The first two components explain \(Num.percent(explained[0] + explained[1])) of the variance; nearby points are tokens the model learned to treat alike.")
        let alt = words("散点图：\(count) 个 token 嵌入的二维 PCA 投影，部分带标签", "Scatter plot: a 2-D PCA of \(count) token embeddings, some labelled")
        return StageFigure(.embeddingPCA, page: page, caption: caption, alt: alt, items: scatter.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func embeddingPCAFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let V = config.vocabSize
        let n = try p.int("tokens", default: 200, in: 3...V)
        // The prompt's tokens (if any) first, so their labels win; then learned tokens in merge order.
        let promptIDs = request.prompt.isEmpty ? [] : Array(NSOrderedSet(array: try self.promptIDs(request)).array as! [Int])
        var ids = promptIDs
        var seen = Set(ids)
        for id in Array(Tokenizer.firstLearnedID..<V) + Array(0..<Tokenizer.firstLearnedID) where ids.count < max(n, promptIDs.count) && !seen.contains(id) {
            ids.append(id)
            seen.insert(id)
        }
        let wte = model.tensor("wte.weight")!
        let rows = ids.map { wte.row($0).map(Double.init) }
        let pca = PCA(rows: rows)
        let names = labels(ids)
        let points = ids.indices.map { i -> LabeledScatter.Item in
            let xy = pca.project(rows[i])
            return LabeledScatter.Item(x: xy[0], y: xy[1], label: names[i], category: i < promptIDs.count ? 1 : 0)
        }
        return StageFigures.embeddingPCA(points: points, explained: pca.explained, count: ids.count, promptCount: promptIDs.count,
                                         theme: theme, words: words)
    }
}

import Foundation
