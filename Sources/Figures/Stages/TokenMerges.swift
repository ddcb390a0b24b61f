import TinyGPT

// A walkthrough of `Tokenizer.encode` (Sources/TinyGPT/Tokenizer/Tokenizer.swift) one byte-pair
// merge per frame, from `Tokenizer.mergeSteps`: the characters (or bytes) of the prompt first,
// then the sequence after each merge in the tokenizer's rank order, the new tokens highlighted.

extension StageFigures {
    /// One frame: `ids` as token boxes, `marked` the tokens the merge just made; `merge` nil for
    /// the start.
    static func tokenMergeFrame(name: String, prompt: String, ids: [Int], marked: [Int], merge: (step: Int, rank: Int, merge: Tokenizer.Merge)?,
                                history: [(rank: Int, merge: Tokenizer.Merge)], steps: Int, learned: Int, frame: Int, frames: Int,
                                label: (Int) -> String, bytes: Int, theme: Theme, words: Words) -> StageFigure
    {
        let n = ids.count
        let heading: String
        let caption: String, alt: String
        if let m = merge {
            let (a, b, c) = (label(m.merge.left), label(m.merge.right), label(m.merge.result))
            heading = words("第 \(m.step)/\(steps) 次合并：rank \(m.rank)「\(a)」+「\(b)」→「\(c)」", "merge \(m.step) of \(steps): rank \(m.rank) \"\(a)\" + \"\(b)\" → \"\(c)\"")
            let done = m.step == steps ? words("；这就是 encode 的结果", "; this is what encode returns") : ""
            caption = words("第 \(m.step) 次合并用合并表里 rank \(m.rank) 的一条（共 \(learned) 条）：「\(a)」(\(m.merge.left)) +「\(b)」(\(m.merge.right)) →「\(c)」(id \(m.merge.result))，出现 \(marked.count) 处；现在是 \(n) 个 token\(done)。",
                            "Merge \(m.step) applies rank \(m.rank) of the \(learned) learned merges: \"\(a)\" (\(m.merge.left)) + \"\(b)\" (\(m.merge.right)) → \"\(c)\" (id \(m.merge.result)) at \(marked.count) \(marked.count == 1 ? "place" : "places"); now \(n) tokens\(done).")
            alt = words("第 \(m.step) 次合并后的 \(n) 个 token 方框，新合成的 \(marked.count) 个「\(c)」高亮", "\(n) token boxes after merge \(m.step); the \(marked.count) new \"\(c)\" highlighted")
        } else {
            heading = words("开始：每个字符一个 token", "start: one token per character")
            let more = steps == 0 ? words("没有可用的合并，这就是 encode 的结果", "no merge applies, so this is what encode returns")
                : words("接下来按合并表的顺序做 \(steps) 次合并", "\(steps) merges follow in the tokenizer's rank order")
            caption = words("开始：「\(prompt)」先拆成 \(n) 个字符 token\(bytes > 0 ? "（其中 \(bytes) 个是字节）" : "")；\(more)。",
                            "Start: \"\(prompt)\" splits into \(n) character tokens\(bytes > 0 ? " (\(bytes) of them bytes)" : ""); \(more).")
            alt = words("合并之前的 \(n) 个字符 token 方框和它们的 id", "\(n) character token boxes with their ids, before any merge")
        }
        let page = Page(theme: theme, title: words("字节对编码，一次一个合并（\(frame)/\(frames)）", "Byte-pair encoding, one merge at a time (\(frame)/\(frames))"),
                        subtitle: words("rank 是训练时学到这条合并的次序（0 最早）；每一步合并 rank 最小的相邻对，所有出现处一起合并",
                                        "rank is the order training learned a merge in (0 first); each step merges the adjacent pair of lowest rank, everywhere it occurs"))
        // The token strip gets the height its wrapped rows need (as TokenStrip lays them out, plus a
        // spare row), the merge list the rest.
        let fs = theme.labelSize, body = page.body
        let width = zip(ids.map(label), ids).reduce(0.0) { $0 + max(Fonts.width($1.0, size: fs), Fonts.width(String($1.1), size: theme.tickSize)) + fs + 4 }
        let stripRows = (width / body.width).rounded(.up) + 1
        let stripH = min(body.height * 0.6, stripRows * (fs * 2 + theme.tickSize * 1.4 + theme.gap) + fs * 1.5)
        let parts = Panels.rows(body, [stripH, body.height - stripH - theme.gap * 2], gap: theme.gap * 2)
        var items = Titled(title: heading, content: TokenStrip(tokens: ids.map(label), ids: ids, marked: Set(marked)))
            .draw(in: parts[0], theme: theme)
        // The merges so far, newest last; a long history keeps its most recent lines.
        let room = max(1, Int((parts[1].height - theme.labelSize * 1.5) / (theme.labelSize * 1.45)))
        let lines = history.enumerated().map { i, h in
            words("\(i + 1). rank \(h.rank)：「\(label(h.merge.left))」+「\(label(h.merge.right))」→「\(label(h.merge.result))」（id \(h.merge.result)）",
                  "\(i + 1). rank \(h.rank): \"\(label(h.merge.left))\" + \"\(label(h.merge.right))\" → \"\(label(h.merge.result))\" (id \(h.merge.result))")
        }
        let shown = lines.count > room ? ["…"] + lines.suffix(room - 1) : lines
        items += Titled(title: words("已做的合并（\(history.count)/\(steps)）", "merges so far (\(history.count) of \(steps))"),
                        content: TextBlock(lines: shown.isEmpty ? [words("（还没有）", "(none yet)")] : shown,
                                           bold: history.isEmpty ? [] : [shown.count - 1]))
            .draw(in: parts[1], theme: theme)
        return StageFigure(.tokenMerges, name: name, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func tokenMergeFrames(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> [StageFigure] {
        _ = try promptIDs(request)   // the same checks as every stage: not empty, fits the context
        let tok = bundle.tokenizer
        let (start, steps) = tok.mergeSteps(request.prompt)
        let (frames, which) = try frameRange(p, available: steps.count + 1)
        let bytes = start.filter { $0 >= Tokenizer.byteOffset && $0 < Tokenizer.firstLearnedID && $0 - Tokenizer.byteOffset >= 0x80 }.count
        return which.map { f in
            // Frame 1 is the start; the others spread over the merges, the last always shown.
            let step = f == 1 ? 0 : spread(f - 1, frames: frames - 1, over: steps.count) + 1
            let s = step == 0 ? nil : steps[step - 1]
            return StageFigures.tokenMergeFrame(name: frameName(.tokenMerges, f), prompt: request.prompt, ids: s?.ids ?? start, marked: s?.merged ?? [],
                                                merge: s.map { (step, $0.rank, $0.merge) }, history: steps.prefix(step).map { ($0.rank, $0.merge) }, steps: steps.count, learned: tok.merges.count,
                                                frame: f, frames: frames, label: tok.displayText, bytes: bytes, theme: theme, words: words)
        }
    }
}
