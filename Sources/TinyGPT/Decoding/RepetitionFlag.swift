/// The first place where the output repeats an n-gram (n ≥ 3) seen earlier in prompt + output:
/// the sign of greedy decoding falling into a loop.
///
/// Positions index prompt + output, like `StepRecord.position`. `position` is the generated
/// token that completes the first repeat; `ngram` is the longest n-gram ending there that
/// occurred before (occurrences may overlap: `a a a a` repeats `a a a` at position 3);
/// `earlier` is where its first occurrence starts.
///
///     RepetitionFlag.detect(prompt: [5], output: [1, 2, 3, 1, 2, 3])
///     // position 6, ngram [1, 2, 3], earlier 1
public struct RepetitionFlag: Codable, Equatable, Sendable {
    /// The generated token that completes the first repeat (index in prompt + output).
    public var position: Int
    /// The longest n-gram ending at `position` that occurred before.
    public var ngram: [Int]
    /// Where the n-gram's first occurrence starts.
    public var earlier: Int

    public init(position: Int, ngram: [Int], earlier: Int) {
        self.position = position
        self.ngram = ngram
        self.earlier = earlier
    }

    /// Scans the output for the first repeated n-gram of at least `minLength` tokens.
    public static func detect(prompt: [Int], output: [Int], minLength: Int = 3) -> RepetitionFlag? {
        let seq = prompt + output
        // The earliest start i < end - n + 1 of seq[end-n+1...end], if it occurs before.
        func earlierStart(end: Int, n: Int) -> Int? {
            let start = end - n + 1
            guard start > 0 else { return nil }
            for i in 0..<start where seq[i..<(i + n)] == seq[start...end] { return i }
            return nil
        }
        for end in max(prompt.count, minLength - 1)..<seq.count {
            guard var earlier = earlierStart(end: end, n: minLength) else { continue }
            var n = minLength
            // If an n-gram never occurred before, no longer one ending here did either.
            while let i = earlierStart(end: end, n: n + 1) { n += 1; earlier = i }
            return RepetitionFlag(position: end, ngram: Array(seq[(end - n + 1)...end]), earlier: earlier)
        }
        return nil
    }
}
