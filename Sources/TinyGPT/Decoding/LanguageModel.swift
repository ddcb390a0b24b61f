/// A causal language model that decoding can drive.
///
/// Decoding needs only two things from a model: the next-token logits after a sequence, and a
/// key/value cache that gives the same logits one token at a time. The GPT conforms with a real
/// cache; tests conform with small logit tables.
///
///     let logits = model.nextTokenLogits([464, 3290])   // V floats
///     var cache = model.makeCache()
///     _ = cache.append(464)
///     let same = cache.append(3290)                       // == logits
public protocol LanguageModel {
    /// V: tokens in the vocabulary; logits have this many entries.
    var vocabSize: Int { get }
    /// T: the longest sequence the model reads.
    var contextLength: Int { get }
    /// Next-token logits after `ids` (1 ≤ ids.count ≤ T) from a full forward pass (no cache).
    func nextTokenLogits(_ ids: [Int]) -> [Float]
    /// An empty key/value cache; feeding it tokens one by one gives the same logits as the full pass.
    func makeCache() -> any DecodingCache
}

/// The state a model keeps between tokens during incremental decoding (its keys and values).
///
///     var cache = model.makeCache()
///     let logits = cache.append(464)      // next-token logits after [464]
///     let branch = cache.copy()           // beam search continues two hypotheses from here
public protocol DecodingCache {
    /// Tokens consumed so far.
    var count: Int { get }
    /// Consumes one token and returns the next-token logits (V floats).
    mutating func append(_ token: Int) -> [Float]
    /// An independent copy: appending to one never changes the other (needed by beam search even
    /// when the cache is a class).
    func copy() -> any DecodingCache
}
