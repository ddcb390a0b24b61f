import TinyGPT

// Draws what `Tokenizer.encode` (Sources/TinyGPT/Tokenizer/Tokenizer.swift) computes: the prompt
// split into byte-pair tokens, each with its id.

extension StageFigures {
    /// The prompt as a strip of tokens with their ids, and how many bytes each token covers.
    static func tokenization(text: String, tokens: [String], ids: [Int], bytes: [Int], theme: Theme,
                             words: Words) -> StageFigure
    {
        let chars = text.count, n = tokens.count
        let page = Page(theme: theme, title: words("分词：文本 → token", "Tokenization: text → tokens"),
                        subtitle: words("\(chars) 个字符 → \(n) 个 token（字节对编码）",
                                        "\(chars) characters → \(n) tokens (byte-pair encoding)"))
        let parts = Panels.rows(page.body, [1, 2], gap: theme.gap * 2)
        var items = Titled(title: words("token 与 id", "tokens and their ids"),
                           content: TokenStrip(tokens: tokens, ids: ids)).draw(in: parts[0], theme: theme)
        let bar = BarChart(labels: tokens, values: bytes.map(Double.init), valueTitle: words("UTF-8 字节", "UTF-8 bytes"),
                           showValues: true, digits: 2)
        items += Titled(title: words("每个 token 覆盖的字节数", "bytes each token covers"), content: bar)
            .draw(in: parts[1], theme: theme)
        let longest = bytes.indices.max { bytes[$0] < bytes[$1] } ?? 0
        let caption = words(
            "提示被切成 \(n) 个 token；最长的 token「\(tokens[longest])」覆盖 \(bytes[longest]) 个字节（id \(ids[longest])）。",
            "The prompt becomes \(n) tokens; the longest, \"\(tokens[longest])\", covers \(bytes[longest]) bytes (id \(ids[longest])).")
        let alt = words("\(n) 个 token 的方框，下面是它们的 id：", "\(n) token boxes with their ids: ")
            + zip(tokens, ids).map { "\($0) \($1)" }.joined(separator: words("，", ", "))
        return StageFigure(.tokenization, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func tokenizationFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        return StageFigures.tokenization(text: request.prompt, tokens: labels(ids), ids: ids,
                                         bytes: ids.map { bundle.tokenizer.tokenBytes($0).count }, theme: theme, words: words)
    }
}
