/// Next-token logits for a growing sequence, from the cache (new tokens only) or from a full
/// forward pass every time. Both paths go through here so that cached and uncached decoding
/// differ in nothing else.
struct LogitFeed<Model: LanguageModel> {
    let model: Model
    private var cache: (any DecodingCache)?

    init(model: Model, cached: Bool) {
        self.model = model
        cache = cached ? model.makeCache() : nil
    }

    /// Logits after `ids`, which must extend what this feed has seen by at least one token.
    mutating func logits(after ids: [Int]) -> [Float] {
        guard var c = cache else { return model.nextTokenLogits(ids) }
        precondition(c.count < ids.count, "LogitFeed: no new token to consume")
        cache = nil  // `c` is now the only reference: appending writes in place instead of copying the cache
        var out: [Float] = []
        while c.count < ids.count { out = c.append(ids[c.count]) }
        cache = c
        return out
    }

    /// An independent feed that has seen the same tokens (beam search's hypotheses split).
    func branch() -> LogitFeed {
        var copy = self
        copy.cache = cache?.copy()
        return copy
    }
}
