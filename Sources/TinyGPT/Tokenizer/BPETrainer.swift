extension Tokenizer {
    /// Learns a vocabulary of at most `vocabSize` tokens from `documents`.
    ///
    /// 1. The 257 fixed tokens (`<|endoftext|>`, 256 bytes).
    /// 2. Every non-ASCII scalar of the corpus, most frequent first (ties: smaller scalar value
    ///    first), as long as there is room.
    /// 3. Merges: count adjacent token pairs inside chunks (weighted by how often the chunk
    ///    occurs), merge the most frequent pair, repeat. Ties go to the smallest
    ///    `(left, right)` id pair, so the result never depends on hash order. Stops when the
    ///    vocabulary is full or no pair occurs twice. Inside Han runs a merged token may be at
    ///    most 6 bytes (two characters): tokens then read as Chinese words (机器, 学习, 发展)
    ///    instead of whole template phrases.
    ///
    /// A merge whose bytes already name a token reuses that token's id instead of adding one.
    /// The vocabulary can end up smaller than `vocabSize` when the corpus runs out of pairs.
    /// `vocabSize` must be at least 257.
    ///
    ///     let tok = Tokenizer.train(documents: ["the cat", "the hat"], vocabSize: 300)
    ///     tok.merges.count  // 3: "at", "he", "the"
    public static func train(documents: [String], vocabSize: Int) -> Tokenizer {
        precondition(vocabSize >= firstLearnedID, "vocabSize \(vocabSize) must be at least \(firstLearnedID)")
        var trainer = BPETrainer(documents: documents)
        return trainer.run(vocabSize: vocabSize)
    }
}

/// The state of a BPE training run: the corpus as distinct chunks with counts, the pair counts,
/// and the vocabulary so far.
struct BPETrainer {
    /// Longest token (in UTF-8 bytes) a merge may make inside a Han run.
    static let hanTokenByteLimit = 6

    private var words: [[Int]] = []   // distinct chunks as token ids
    private var counts: [Int] = []    // occurrences of each chunk
    private var capped: [Bool] = []   // chunk is a Han run
    private var chunkScalars: [[Unicode.Scalar]] = []
    private var scalarCounts: [Unicode.Scalar: Int] = [:]

    private var tokens: [[UInt8]] = []
    private var idByBytes: [[UInt8]: Int] = [:]
    private var merges: [Tokenizer.Merge] = []
    private var pairCounts: [UInt64: Int] = [:]
    private var pairWords: [UInt64: Set<Int>] = [:]   // a superset: words that held the pair

    init(documents: [String]) {
        var chunkCounts: [[Unicode.Scalar]: (count: Int, capped: Bool)] = [:]
        for document in documents {
            let scalars = Array(document.unicodeScalars)
            for chunk in Pretokenizer.split(scalars) where chunk.kind != .endOfText {
                let key = Array(scalars[chunk.range])
                chunkCounts[key, default: (0, chunk.kind == .hanRun)].count += 1
            }
        }
        // Sorted by scalar values: the order of `words` must not come from hashing.
        let sorted = chunkCounts.keys.sorted { a, b in
            a.lexicographicallyPrecedes(b) { $0.value < $1.value }
        }
        for key in sorted {
            let entry = chunkCounts[key]!
            chunkScalars.append(key)
            counts.append(entry.count)
            capped.append(entry.capped)
            for s in key where s.value >= 0x80 { scalarCounts[s, default: 0] += entry.count }
        }
    }

    mutating func run(vocabSize: Int) -> Tokenizer {
        tokens = [Array(Tokenizer.endOfText.utf8)] + (0...255).map { [UInt8($0)] }
        for (id, bytes) in tokens.enumerated() { idByBytes[bytes] = id }

        let characters = scalarCounts.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.value < b.key.value
        }
        for (scalar, _) in characters.prefix(vocabSize - tokens.count) {
            var bytes: [UInt8] = []
            UTF8.encode(scalar) { bytes.append($0) }
            idByBytes[bytes] = tokens.count
            tokens.append(bytes)
        }

        let base = Tokenizer(tokens: tokens, merges: [])
        words = chunkScalars.map { base.initialIDs($0) }
        for w in words.indices { addPairs(of: w) }

        while tokens.count < vocabSize, let (pair, count) = bestPair(), count >= 2 {
            merge(pair)
        }
        return Tokenizer(tokens: tokens, merges: merges)
    }

    /// The most frequent pair; ties to the smallest key, i.e. the smallest (left, right).
    private func bestPair() -> (UInt64, Int)? {
        var best: (UInt64, Int)? = nil
        for (key, count) in pairCounts {
            guard let b = best else { best = (key, count); continue }
            if count > b.1 || (count == b.1 && key < b.0) { best = (key, count) }
        }
        return best
    }

    private func allowed(_ left: Int, _ right: Int, inWord w: Int) -> Bool {
        !capped[w] || tokens[left].count + tokens[right].count <= Self.hanTokenByteLimit
    }

    private mutating func addPairs(of w: Int) {
        let word = words[w]
        guard word.count >= 2 else { return }
        for i in 0..<(word.count - 1) where allowed(word[i], word[i + 1], inWord: w) {
            let key = Tokenizer.pairKey(word[i], word[i + 1])
            pairCounts[key, default: 0] += counts[w]
            pairWords[key, default: []].insert(w)
        }
    }

    private mutating func removePairs(of w: Int) {
        let word = words[w]
        guard word.count >= 2 else { return }
        for i in 0..<(word.count - 1) where allowed(word[i], word[i + 1], inWord: w) {
            let key = Tokenizer.pairKey(word[i], word[i + 1])
            let left = pairCounts[key, default: 0] - counts[w]
            pairCounts[key] = left > 0 ? left : nil
        }
    }

    private mutating func merge(_ key: UInt64) {
        let left = Int(key >> 32), right = Int(key & 0xFFFF_FFFF)
        let bytes = tokens[left] + tokens[right]
        let result: Int
        if let existing = idByBytes[bytes] {
            result = existing
        } else {
            result = tokens.count
            tokens.append(bytes)
            idByBytes[bytes] = result
        }
        merges.append(Tokenizer.Merge(left: left, right: right, result: result))

        // Sorted so that the update order, too, is independent of hashing.
        for w in (pairWords.removeValue(forKey: key) ?? []).sorted() {
            removePairs(of: w)
            var merged: [Int] = []
            let word = words[w]
            var i = 0
            while i < word.count {
                if i + 1 < word.count, word[i] == left, word[i + 1] == right {
                    merged.append(result)
                    i += 2
                } else {
                    merged.append(word[i])
                    i += 1
                }
            }
            words[w] = merged
            addPairs(of: w)
        }
        pairCounts[key] = nil
    }
}
