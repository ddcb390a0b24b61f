import Foundation

/// One decoding decision from one logit vector: temperature, top-k, top-p, the draw.
///
/// The pipeline, in this order (Hugging Face's order too):
/// 1. `probabilities = softmax(logits / T)`, in Double.
/// 2. Sort token ids by logit descending, ties by lowest id. Equal logits have equal
///    probabilities, so this is also "most probable first".
/// 3. top-k: keep the first k of that order. With ties at the cut the lower ids are kept, so the
///    kept set has exactly k tokens.
/// 4. top-p: renormalise the kept set, keep its smallest prefix whose cumulative mass reaches p
///    (the token that crosses p is included). Mass within 1e-6 below p counts as reaching it,
///    because probabilities computed from Float logits carry rounding; p = 1 keeps everything.
/// 5. Renormalise the kept set and draw with `pick`.
///
///     var rng = SplitMix64(seed: 1)
///     let step = Sampler.sample(logits: logits, position: 5, temperature: 0.8, topK: 40,
///                               topP: 0.95, rng: &rng)
public enum Sampler {
    /// Slack for "the mass reaches p": see step 4 above.
    public static let topPTolerance = 1e-6

    /// softmax(logits / temperature) in Double, stable (the maximum is subtracted first).
    ///
    ///     Sampler.softmax([0, 0], temperature: 1)   // [0.5, 0.5]
    public static func softmax(_ logits: [Float], temperature: Double = 1) -> [Double] {
        logits.isEmpty ? [] : softmax(logits, max: logits[argmax(logits)], temperature: temperature)
    }

    /// `softmax` with the maximum logit given (greedy has it from its argmax). One pass over
    /// flat buffers per step of the formula, every sum in index order.
    private static func softmax(_ logits: [Float], max top: Float, temperature: Double) -> [Double] {
        let m = Double(top)
        return [Double](unsafeUninitializedCapacity: logits.count) { e, count in
            logits.withUnsafeBufferPointer { l in
                // x / 1 == x exactly: at T = 1 skipping the division changes no bit.
                if temperature == 1 {
                    for i in l.indices { e[i] = exp(Double(l[i]) - m) }
                } else {
                    for i in l.indices { e[i] = exp((Double(l[i]) - m) / temperature) }
                }
                var sum = 0.0
                for i in l.indices { sum += e[i] }
                for i in l.indices { e[i] /= sum }
            }
            count = logits.count
        }
    }

    /// Double probabilities rounded to Float, as `StepRecord` stores them.
    private static func floats(_ p: [Double]) -> [Float] {
        [Float](unsafeUninitializedCapacity: p.count) { f, count in
            p.withUnsafeBufferPointer { p in for i in p.indices { f[i] = Float(p[i]) } }
            count = p.count
        }
    }

    /// log softmax(logits) in Double, finite even where the probability underflows to 0
    /// (beam search adds these up).
    public static func logSoftmax(_ logits: [Float]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let m = Double(top)
        let logSum = log(logits.reduce(0.0) { $0 + exp(Double($1) - m) })
        return logits.map { Double($0) - m - logSum }
    }

    /// The first id of `order` without sorting: the highest logit, the lowest id among equals.
    public static func argmax(_ logits: [Float]) -> Int {
        logits.withUnsafeBufferPointer { l in
            var best = 0
            for i in l.indices where l[i] > l[best] { best = i }
            return best
        }
    }

    /// Token ids by logit descending, ties by lowest id: the order of ranks and of the draw.
    public static func order(_ logits: [Float]) -> [Int] {
        logits.indices.sorted { a, b in
            logits[a] != logits[b] ? logits[a] > logits[b] : a < b
        }
    }

    /// The set a draw chooses among, in `order`, with renormalised probabilities (Double).
    ///
    ///     Sampler.keptSet(probabilities: [0.5, 0.25, 0.125, 0.125], order: [0, 1, 2, 3],
    ///                     topK: nil, topP: 0.75)   // [(0, 2/3), (1, 1/3)]
    public static func keptSet(probabilities: [Double], order: [Int], topK: Int?,
                               topP: Double?) -> [(id: Int, probability: Double)] {
        var ids = order
        if let k = topK, k < ids.count { ids.removeSubrange(k...) }
        if let p = topP, p < 1 {
            let mass = ids.reduce(0.0) { $0 + probabilities[$1] }
            var cumulative = 0.0
            var keep = ids.count
            for (i, id) in ids.enumerated() {
                cumulative += probabilities[id] / mass
                if cumulative >= p - topPTolerance { keep = i + 1; break }
            }
            ids.removeSubrange(keep...)
        }
        let mass = ids.reduce(0.0) { $0 + probabilities[$1] }
        return ids.map { ($0, probabilities[$0] / mass) }
    }

    /// The uniform-to-token rule: inverse CDF over the kept set in its order (most probable first,
    /// ties by lowest id). Returns the first token whose cumulative probability exceeds `u`; if
    /// rounding leaves `u` above the last cumulative value, the last token.
    ///
    ///     Sampler.pick(uniform: 0.7, kept: [(3, 0.6), (1, 0.4)])   // 1
    public static func pick(uniform u: Double, kept: [(id: Int, probability: Double)]) -> Int {
        var cumulative = 0.0
        for (id, q) in kept {
            cumulative += q
            if u < cumulative { return id }
        }
        return kept[kept.count - 1].id
    }

    /// The greedy decision: the most probable token, lowest id among equals.
    public static func greedy(logits: [Float], position: Int) -> StepRecord {
        let chosen = argmax(logits)
        let probabilities = softmax(logits, max: logits[chosen], temperature: 1)
        return StepRecord(position: position, logits: logits, probabilities: floats(probabilities),
                          kept: [KeptToken(id: chosen, probability: 1)], uniform: nil, chosen: chosen,
                          rank: 1, probability: Float(probabilities[chosen]))
    }

    /// The sampling decision; temperature 0 is exactly `greedy` and draws nothing from `rng`.
    public static func sample(logits: [Float], position: Int, temperature: Float, topK: Int?,
                              topP: Float?, rng: inout SplitMix64) -> StepRecord {
        if temperature == 0 { return greedy(logits: logits, position: position) }
        let probabilities = softmax(logits, temperature: Double(temperature))
        let ranked = order(logits)
        let kept = keptSet(probabilities: probabilities, order: ranked, topK: topK, topP: topP.map(Double.init))
        let u = rng.nextUniform()
        let chosen = pick(uniform: u, kept: kept)
        let rank = ranked.firstIndex(of: chosen)! + 1
        return StepRecord(position: position, logits: logits, probabilities: floats(probabilities),
                          kept: kept.map { KeptToken(id: $0.id, probability: Float($0.probability)) },
                          uniform: u, chosen: chosen, rank: rank, probability: Float(probabilities[chosen]))
    }
}
