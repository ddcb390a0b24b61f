extension Tokenizer {
    /// One learned byte-pair merge: wherever `left` is directly followed by `right` inside a
    /// chunk, the two become `result`, whose bytes are `left`'s bytes followed by `right`'s.
    ///
    /// Merges are applied in rank order (their index in ``Tokenizer/merges``), lowest first.
    ///
    ///     // 学 (id 300) + 习 (id 301) -> 学习 (id 640)
    ///     Tokenizer.Merge(left: 300, right: 301, result: 640)
    public struct Merge: Equatable, Sendable, Hashable {
        public var left: Int
        public var right: Int
        public var result: Int

        public init(left: Int, right: Int, result: Int) {
            self.left = left
            self.right = right
            self.result = result
        }
    }
}
