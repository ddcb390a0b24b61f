/// What the key/value cache saves, in multiply-adds of the matrix products (LayerNorm, GELU,
/// softmax and the residual adds are left out: they are O(C) per row, not O(C²)).
///
/// Computing position t's row costs, per block, 3C² (q, k, v) + (t + 1)·C (scores against
/// t + 1 keys) + (t + 1)·C (the weighted sum of values) + C² (output projection) + 8C² (MLP),
/// and C·V once for its logits. `KVCache.append` computes one such row per token; a full
/// `GPT.forward` over n tokens computes rows 0…n − 1, which is what decoding without the cache
/// pays at every step. One computation for chapter 7's numbers and the `kvCache` figures.
///
///     let steps = DecodingCost.steps(config, promptLength: 5, generated: 6)
///     steps[1].cached     // one new row: position 5
///     steps[1].uncached   // rows 0…5 again
public enum DecodingCost {
    /// Multiply-adds to compute position `t`'s row through every block and the unembedding.
    public static func row(_ c: GPTConfig, position t: Int) -> Int {
        let C = c.width
        return c.layers * (12 * C * C + 2 * (t + 1) * C) + C * c.vocabSize
    }

    /// Rows `range` computed one after another (their sum).
    public static func rows(_ c: GPTConfig, _ range: Range<Int>) -> Int {
        range.reduce(0) { $0 + row(c, position: $1) }
    }

    /// One decoding step: the logits for the token at position `length` (after `length` tokens).
    public struct Step: Equatable, Sendable {
        /// 1-based.
        public var step: Int
        /// Tokens the step's logits read (prompt + tokens chosen so far).
        public var length: Int
        /// Rows the cache computes this step: the whole prompt at step 1, then the one token chosen last.
        public var newRows: Range<Int>
        /// Rows read from the cache (computed at an earlier step).
        public var reusedRows: Range<Int> { 0..<newRows.lowerBound }
        /// Multiply-adds with the cache (the new rows) and without it (all `length` rows again).
        public var cached: Int
        public var uncached: Int
    }

    /// The steps of generating `generated` tokens after a `promptLength`-token prompt.
    public static func steps(_ c: GPTConfig, promptLength: Int, generated: Int) -> [Step] {
        (0..<generated).map { s in
            let length = promptLength + s
            let new = s == 0 ? 0..<promptLength : (length - 1)..<length
            return Step(step: s + 1, length: length, newRows: new, cached: rows(c, new), uncached: rows(c, 0..<length))
        }
    }
}
