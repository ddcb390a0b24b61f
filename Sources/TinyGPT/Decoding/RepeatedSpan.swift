/// What a generation repeats, for chapter 12's text and its figure alike (one computation):
/// a tight loop if there is one — a span repeated back to back at least 3 times, or twice when it
/// has 3 or more tokens — otherwise the first span of 3 or more tokens the output writes again
/// (`RepetitionFlag`), with every place it occurs.
///
/// Positions index prompt + output.
///
///     RepeatedSpan.find(prompt: [9], output: [1, 2, 3, 1, 2, 3, 1, 2, 3])
///     // span [1, 2, 3], starts [1, 4, 7], backToBack true
public struct RepeatedSpan: Equatable, Sendable {
    /// The repeated tokens.
    public var span: [Int]
    /// Every start of `span` in prompt + output, in order (for a tight loop: its back-to-back run).
    public var starts: [Int]
    /// The occurrences follow each other directly (a loop), rather than with other text between them.
    public var backToBack: Bool

    public init(span: [Int], starts: [Int], backToBack: Bool) {
        self.span = span
        self.starts = starts
        self.backToBack = backToBack
    }

    /// The repetition in `output` (continuing `prompt`), or nil if it repeats no span of 3 or more tokens.
    public static func find(prompt: [Int], output: [Int]) -> RepeatedSpan? {
        if let l = longestLoop(output), l.repeats >= 3 || l.period >= 3 {
            let start = prompt.count + l.start
            return RepeatedSpan(span: Array(output[l.start..<(l.start + l.period)]),
                                starts: (0..<l.repeats).map { start + $0 * l.period }, backToBack: true)
        }
        guard let flag = RepetitionFlag.detect(prompt: prompt, output: output) else { return nil }
        let seq = prompt + output, n = flag.ngram.count
        let starts = (0...(seq.count - n)).filter { Array(seq[$0..<($0 + n)]) == flag.ngram }
        return RepeatedSpan(span: flag.ngram, starts: starts, backToBack: false)
    }

    /// The repeating span that covers the most tokens of `ids` back to back (at least 2 repeats, period ≤ 16).
    static func longestLoop(_ ids: [Int]) -> (start: Int, period: Int, repeats: Int)? {
        var best: (start: Int, period: Int, repeats: Int)? = nil
        for p in 1...16 where 2 * p <= ids.count {
            var run = 0
            for i in p..<ids.count {
                run = ids[i] == ids[i - p] ? run + 1 : 0
                let repeats = (run + p) / p
                if repeats >= 2, repeats * p > (best.map { $0.repeats * $0.period } ?? 0) {
                    best = (i - run - p + 1, p, repeats)
                }
            }
        }
        return best
    }
}
