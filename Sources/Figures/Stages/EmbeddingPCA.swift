import TinyGPT

// Draws the token embedding W_E (`wte.weight`) projected on its first two principal components,
// computed here by power iteration on the covariance.

extension StageFigures {
    /// Tokens as points on PC1 × PC2, the prompt's tokens coloured and labelled first.
    static func embeddingPCA(points: [LabeledScatter.Item], explained: [Double], count: Int, promptCount: Int,
                             theme: Theme, words: Words) -> StageFigure
    {
        let scatter = LabeledScatter(points: points, xTitle: words("主成分 1（\(Num.percent(explained[0])) 方差）", "PC 1 (\(Num.percent(explained[0])) of variance)"),
                                     yTitle: words("主成分 2（\(Num.percent(explained[1])) 方差）", "PC 2 (\(Num.percent(explained[1])) of variance)"))
        let page = Page(theme: theme, title: words("词嵌入的二维投影（PCA）", "Token embeddings in 2-D (PCA)"),
                        subtitle: words("W_E 的 \(count) 行（先是学到的词，再是单字）投影到前两个主成分（合计解释 \(Num.percent(explained[0] + explained[1])) 的方差）" + (promptCount > 0 ? "；提示里的 \(promptCount) 个 token 另色标出" : ""),
                                        "\(count) rows of W_E (learned words first, then single characters) on their first two principal components (together \(Num.percent(explained[0] + explained[1])) of the variance)" + (promptCount > 0 ? "; the prompt's \(promptCount) tokens in colour" : "")))
        let caption = words(
            "前两个主成分解释了 \(Num.percent(explained[0] + explained[1])) 的方差；相近的点是模型学得相似的 token。",
            "The first two components explain \(Num.percent(explained[0] + explained[1])) of the variance; nearby points are tokens the model learned to treat alike.")
        let alt = words("散点图：\(count) 个 token 嵌入的二维 PCA 投影，部分带标签", "Scatter plot: a 2-D PCA of \(count) token embeddings, some labelled")
        return StageFigure(.embeddingPCA, page: page, caption: caption, alt: alt, items: scatter.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func embeddingPCAFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let n = try p.int("tokens", default: 200, in: 3...config.vocabSize)
        let prompt = request.prompt.isEmpty ? [] : try promptIDs(request)
        let projection = EmbeddingProjection(model: model, tokenizer: bundle.tokenizer, promptIDs: prompt, count: n)
        let names = labels(projection.ids)
        let points = projection.ids.indices.map { i in
            LabeledScatter.Item(x: projection.points[i][0], y: projection.points[i][1], label: names[i],
                                category: i < projection.promptCount ? 1 : 0)
        }
        return StageFigures.embeddingPCA(points: points, explained: projection.explained, count: projection.ids.count,
                                         promptCount: projection.promptCount, theme: theme, words: words)
    }
}

