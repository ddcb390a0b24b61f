import Foundation

/// Byte-pair encoding over Unicode scalars, with a byte fallback.
///
/// Id layout:
///
/// | ids | tokens |
/// |---|---|
/// | 0 | `<|endoftext|>` |
/// | 1 … 256 | the bytes 0x00 … 0xFF (id = byte + 1); bytes < 0x80 double as the ASCII characters |
/// | 257 … | non-ASCII characters of the corpus (one scalar each), most frequent first |
/// | then | tokens made by merges, in the order they were learned |
///
/// Encoding: split the text into chunks (``Pretokenizer``), map each scalar to its character
/// token, or to its UTF-8 byte tokens when it has none, then apply merges by rank. Every string
/// encodes, and `decode(encode(s))` has exactly the bytes of `s`.
///
///     let tok = Tokenizer.train(documents: try Corpus.load(directory: dir), vocabSize: Tokenizer.defaultVocabSize)
///     let ids = tok.encode("我今天很开心")       // e.g. [270, 612, 281, 640]
///     tok.decode(ids)                           // "我今天很开心"
///     ids.map(tok.displayText)                  // ["我", "今天", "很", "开心"]
public struct Tokenizer: Sendable, Equatable {
    /// The one special token; this literal text in the input encodes to ``endOfTextID``.
    public static let endOfText = "<|endoftext|>"
    /// The id of byte 0x00; byte `b` is id `b + byteOffset`.
    public static let byteOffset = 1
    /// The first id after the special token and the 256 bytes.
    public static let firstLearnedID = 257
    /// The vocabulary size the shipped model uses with the shipped corpus.
    public static let defaultVocabSize = 1024

    /// The bytes of every token, indexed by id.
    let tokens: [[UInt8]]
    /// Learned merges in rank order.
    public let merges: [Merge]

    // Derived from `tokens` and `merges`, for encoding.
    private let characterIDs: [Unicode.Scalar: Int]
    private let mergeRanks: [UInt64: Int]  // pairKey(left, right) -> index into merges
    private let cache: ChunkCache

    /// Builds the lookup tables. `tokens` and `merges` must already be consistent
    /// (``train(documents:vocabSize:)`` makes them so; the file loader validates them).
    init(tokens: [[UInt8]], merges: [Merge]) {
        self.tokens = tokens
        self.merges = merges
        self.cache = ChunkCache()
        var chars: [Unicode.Scalar: Int] = [:]
        for id in Self.firstLearnedID..<tokens.count {
            if let scalar = Self.singleScalar(tokens[id]), scalar.value >= 0x80 { chars[scalar] = id }
        }
        characterIDs = chars
        var ranks: [UInt64: Int] = [:]
        for (rank, m) in merges.enumerated() where ranks[Self.pairKey(m.left, m.right)] == nil {
            ranks[Self.pairKey(m.left, m.right)] = rank
        }
        mergeRanks = ranks
    }

    public static func == (a: Tokenizer, b: Tokenizer) -> Bool {
        a.tokens == b.tokens && a.merges == b.merges
    }

    /// Number of tokens: ids run from 0 to `vocabSize - 1`.
    ///
    ///     tok.vocabSize  // 1024
    public var vocabSize: Int { tokens.count }

    /// The id of `<|endoftext|>` (always 0).
    ///
    ///     tok.encode("a<|endoftext|>b")  // [98, 0, 99]
    public var endOfTextID: Int { Self.endOfTextID }
    /// `<|endoftext|>` is id 0 in every tokenizer this program trains or reads.
    public static let endOfTextID = 0

    static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))
    }

    /// The scalar `bytes` spell, if they are the UTF-8 of exactly one scalar.
    static func singleScalar(_ bytes: [UInt8]) -> Unicode.Scalar? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let scalars = text.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }

    // MARK: Encoding

    /// The token ids of `text`. Never fails: scalars without a token become byte tokens.
    ///
    ///     tok.encode("我爱机器学习")  // 我, 爱, 机器, 学习
    ///     tok.encode("🙂")           // four byte tokens: <0xF0> <0x9F> <0x99> <0x82>
    public func encode(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        ids.reserveCapacity(scalars.count)
        for chunk in Pretokenizer.split(scalars) {
            if chunk.kind == .endOfText { ids.append(endOfTextID); continue }
            let key = Array(scalars[chunk.range])
            if let hit = cache.ids(for: key) { ids += hit; continue }
            let encoded = applyMerges(to: initialIDs(key))
            cache.store(encoded, for: key)
            ids += encoded
        }
        return ids
    }

    /// The ids of several documents, each followed by `<|endoftext|>`: the stream a
    /// trainer reads, so the model learns where a document ends.
    ///
    ///     tok.encode(documents: ["你好", "再见"])  // 你, 好, <|endoftext|>, 再, 见, <|endoftext|>
    public func encode(documents: [String]) -> [Int] {
        var ids: [Int] = []
        for document in documents {
            ids += encode(document)
            ids.append(endOfTextID)
        }
        return ids
    }

    /// Characters -> character tokens; anything else -> its UTF-8 bytes.
    func initialIDs(_ chunk: [Unicode.Scalar]) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(chunk.count)
        for scalar in chunk {
            if scalar.value < 0x80 {
                ids.append(Int(scalar.value) + Self.byteOffset)
            } else if let id = characterIDs[scalar] {
                ids.append(id)
            } else {
                UTF8.encode(scalar) { ids.append(Int($0) + Self.byteOffset) }
            }
        }
        return ids
    }

    /// Repeatedly merges the adjacent pair with the lowest rank, every occurrence left to
    /// right, until no adjacent pair has a merge: the same order training applied them in.
    func applyMerges(to start: [Int]) -> [Int] {
        var ids = start
        while let rank = lowestMergeRank(in: ids) { ids = apply(merges[rank], to: ids).ids }
        return ids
    }

    /// The lowest rank of a merge some adjacent pair of `ids` has, if any.
    func lowestMergeRank(in ids: [Int]) -> Int? {
        guard ids.count >= 2 else { return nil }
        var bestRank = Int.max
        for i in 0..<(ids.count - 1) {
            if let rank = mergeRanks[Self.pairKey(ids[i], ids[i + 1])], rank < bestRank { bestRank = rank }
        }
        return bestRank == Int.max ? nil : bestRank
    }

    /// `ids` with every occurrence of `m`'s pair, left to right, replaced by its result; `at` holds
    /// the indices (in the new ids) of the merged tokens.
    func apply(_ m: Merge, to ids: [Int]) -> (ids: [Int], at: [Int]) {
        var merged: [Int] = [], at: [Int] = []
        merged.reserveCapacity(ids.count)
        var i = 0
        while i < ids.count {
            if i + 1 < ids.count, ids[i] == m.left, ids[i + 1] == m.right {
                at.append(merged.count)
                merged.append(m.result)
                i += 2
            } else {
                merged.append(ids[i])
                i += 1
            }
        }
        return (merged, at)
    }

    /// One merge of ``mergeSteps(_:)``: the rank applied and the whole text's ids after it.
    public struct MergeStep: Sendable, Equatable {
        /// Index of the merge in ``Tokenizer/merges`` (0 = learned first).
        public var rank: Int
        /// The pair merged and the token it became.
        public var merge: Merge
        /// The ids of the whole text after this merge.
        public var ids: [Int]
        /// Indices into `ids` of the tokens this merge made (one per occurrence).
        public var merged: [Int]
    }

    /// How `encode` builds the ids of `text`, one merge at a time: the ids before any merge
    /// (characters, bytes for characters without a token) and then, lowest rank first, each
    /// merge applied to every chunk that has its pair. Chunks are merged independently, and a
    /// merge only ever creates pairs of higher rank, so applying each rank to all chunks at once
    /// gives per chunk exactly `encode`'s order; the last step's ids equal `encode(text)`.
    ///
    ///     let (start, steps) = tok.mergeSteps("学习")   // start: 学, 习; steps[0].ids: 学习
    public func mergeSteps(_ text: String) -> (start: [Int], steps: [MergeStep]) {
        let scalars = Array(text.unicodeScalars)
        var chunks = Pretokenizer.split(scalars).map { c -> [Int] in
            c.kind == .endOfText ? [endOfTextID] : initialIDs(Array(scalars[c.range]))
        }
        let start = chunks.flatMap { $0 }
        var steps: [MergeStep] = []
        while let rank = chunks.compactMap({ lowestMergeRank(in: $0) }).min() {
            var ids: [Int] = [], at: [Int] = []
            for i in chunks.indices {
                let (merged, made) = apply(merges[rank], to: chunks[i])
                at += made.map { $0 + ids.count }
                ids += merged
                chunks[i] = merged
            }
            steps.append(MergeStep(rank: rank, merge: merges[rank], ids: ids, merged: at))
        }
        return (start, steps)
    }

    // MARK: Decoding

    /// The text of `ids`. Bytes that do not form valid UTF-8 (a stray byte token, an id out of
    /// range) become U+FFFD; never a crash.
    ///
    ///     tok.decode(tok.encode("héllo 🙂"))  // "héllo 🙂"
    ///     tok.decode([0xE6 + 1])               // "\u{FFFD}"
    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 3)
        for id in ids {
            if tokens.indices.contains(id) {
                bytes += tokens[id]
            } else {
                bytes += [0xEF, 0xBF, 0xBD]  // U+FFFD
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes token `id` stands for; `<|endoftext|>`'s are its literal text.
    /// `id` must be in `0..<vocabSize`.
    ///
    ///     tok.tokenBytes(0xE6 + 1)  // [0xE6]
    public func tokenBytes(_ id: Int) -> [UInt8] {
        precondition(tokens.indices.contains(id), "token id \(id) is out of range 0..<\(tokens.count)")
        return tokens[id]
    }

    /// A label for figures: the token's text with visible whitespace (`␣` space, `⏎` newline,
    /// `→` tab, `\r` carriage return — marks the CJK font has glyphs for), `<0xE6>` for a byte
    /// that is not a printable character, `<|endoftext|>`.
    /// Ids out of range give `<unk 9999>`.
    ///
    ///     tok.displayText(tok.encode(" if")[0])  // "␣if"
    ///     tok.displayText(0xE6 + 1)              // "<0xE6>"
    public func displayText(_ id: Int) -> String {
        guard tokens.indices.contains(id) else { return "<unk \(id)>" }
        if id == endOfTextID { return Self.endOfText }
        let bytes = tokens[id]
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return bytes.map(Self.hexLabel).joined()
        }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ": out += "␣"
            case "\n": out += "⏎"
            case "\t": out += "→"
            case "\r": out += "\\r"
            default:
                if scalar.properties.generalCategory == .control {
                    var utf8: [UInt8] = []
                    UTF8.encode(scalar) { utf8.append($0) }
                    out += utf8.map(Self.hexLabel).joined()
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func hexLabel(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }
}
