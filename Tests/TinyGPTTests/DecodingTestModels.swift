import TinyGPT

// Small language models for the decoding tests. None of them is a transformer: decoding only
// needs logits and a cache that agrees with the full pass.

/// Counts how the model was driven, so a test can tell the cache was really used.
final class CallCounter: @unchecked Sendable {
    var fullPasses = 0
    var appends = 0
}

/// Logits that depend on the whole prefix through a rolling hash: pseudo-random, different for
/// every prefix, and a cache that folds one token at a time (a mistake in feeding the cache —
/// a token fed twice, skipped, or a cache shared between beams — changes every later logit).
struct HashModel: LanguageModel {
    let vocabSize: Int
    let contextLength: Int
    let seed: UInt64
    /// Logits lie in [-scale, scale].
    var scale: Float = 2
    /// Logits are a permutation of scale·k/V, k = 0..<V: no ties, gaps of scale/V.
    var distinct = false
    let counter = CallCounter()

    static func fold(_ h: UInt64, _ token: Int) -> UInt64 {
        var g = SplitMix64(seed: h ^ (UInt64(token) &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    func logits(hash h: UInt64) -> [Float] {
        var g = SplitMix64(seed: h)
        if distinct {
            var perm = Array(0..<vocabSize)
            for i in stride(from: vocabSize - 1, to: 0, by: -1) {
                perm.swapAt(i, Int(g.next() % UInt64(i + 1)))
            }
            return perm.map { scale * Float($0) / Float(vocabSize) }
        }
        return (0..<vocabSize).map { _ in scale * Float(g.nextUniform() * 2 - 1) }
    }

    func nextTokenLogits(_ ids: [Int]) -> [Float] {
        precondition(!ids.isEmpty && ids.count <= contextLength)
        counter.fullPasses += 1
        return logits(hash: ids.reduce(seed, Self.fold))
    }

    func makeCache() -> any DecodingCache { HashCache(model: self, hash: seed, count: 0) }
}

/// A class on purpose: if beam search forgot `copy()`, hypotheses would share one cache and the
/// cached run would disagree with the uncached one.
final class HashCache: DecodingCache {
    let model: HashModel
    var hash: UInt64
    var count: Int

    init(model: HashModel, hash: UInt64, count: Int) {
        self.model = model
        self.hash = hash
        self.count = count
    }

    func append(_ token: Int) -> [Float] {
        precondition(count < model.contextLength, "fed past the context")
        model.counter.appends += 1
        hash = HashModel.fold(hash, token)
        count += 1
        return model.logits(hash: hash)
    }

    func copy() -> any DecodingCache { HashCache(model: model, hash: hash, count: count) }
}

/// The same logits after every prefix: each step samples from one known distribution.
struct FixedModel: LanguageModel {
    let logits: [Float]
    var contextLength = 64
    var vocabSize: Int { logits.count }

    func nextTokenLogits(_ ids: [Int]) -> [Float] { logits }
    func makeCache() -> any DecodingCache { FixedCache(logits: logits) }
}

struct FixedCache: DecodingCache {
    let logits: [Float]
    var count = 0
    mutating func append(_ token: Int) -> [Float] { count += 1; return logits }
    func copy() -> any DecodingCache { self }
}

/// A bigram table that strongly prefers (last + 1) mod 3: greedy cycles 0 → 1 → 2 → 0 …
struct LoopModel: LanguageModel {
    let vocabSize = 4
    let contextLength = 64

    static func logits(after last: Int) -> [Float] {
        (0..<4).map { $0 == (last + 1) % 3 ? 5 : 0 }
    }

    func nextTokenLogits(_ ids: [Int]) -> [Float] { Self.logits(after: ids.last!) }
    func makeCache() -> any DecodingCache { LoopCache() }
}

struct LoopCache: DecodingCache {
    var count = 0
    mutating func append(_ token: Int) -> [Float] { count += 1; return LoopModel.logits(after: token) }
    func copy() -> any DecodingCache { self }
}
