/// The knobs of `gptx generate`, as the user gave them, checked before any decoding.
///
/// A knob the user did not give is `nil`, so `validate` can tell "greedy with `--top-k`"
/// (a mistake worth a message) from "greedy" (fine). The defaults used when `nil` are
/// temperature 1, no top-k, no top-p, beam width 4, length penalty 0.
///
///     let options = GenerationOptions(strategy: .sample, temperature: 0.8, topP: 0.9, seed: 7)
///     try options.validate(vocabSize: 512)
public struct GenerationOptions: Equatable, Sendable, Codable {
    /// `--strategy`.
    public var strategy: DecodingStrategy
    /// `--temperature` T ≥ 0 (sample only): logits are divided by T; 0 means greedy.
    public var temperature: Float?
    /// `--top-k` k (sample only): keep the k most probable tokens (ties by lowest id).
    public var topK: Int?
    /// `--top-p` p (sample only): keep the smallest most-probable set whose mass reaches p.
    public var topP: Float?
    /// `--beam-width` W (beam only): hypotheses kept after each step.
    public var beamWidth: Int?
    /// `--length-penalty` A (beam only): hypotheses are ranked by `logp / length^A`.
    public var lengthPenalty: Float?
    /// `--max-tokens` N: at most this many generated tokens (end-of-text included).
    public var maxTokens: Int
    /// `--seed`: the SplitMix64 seed of the uniform draws (sample only; harmless otherwise).
    public var seed: UInt64

    public init(strategy: DecodingStrategy = .greedy, temperature: Float? = nil, topK: Int? = nil,
                topP: Float? = nil, beamWidth: Int? = nil, lengthPenalty: Float? = nil,
                maxTokens: Int = 32, seed: UInt64 = 0) {
        self.strategy = strategy
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.beamWidth = beamWidth
        self.lengthPenalty = lengthPenalty
        self.maxTokens = maxTokens
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case strategy, temperature, seed
        case topK = "top_k", topP = "top_p", beamWidth = "beam_width"
        case lengthPenalty = "length_penalty", maxTokens = "max_tokens"
    }

    /// Temperature in effect (1 when not given).
    public var effectiveTemperature: Float { temperature ?? 1 }
    /// Beam width in effect (4 when not given).
    public var effectiveBeamWidth: Int { beamWidth ?? 4 }
    /// Length penalty in effect (0, plain cumulative log-probability, when not given).
    public var effectiveLengthPenalty: Float { lengthPenalty ?? 0 }

    /// Checks every knob against its range, then the combination against the strategy.
    ///
    /// Ranges are checked first, in the order the flags are listed here, so a user with two
    /// mistakes always sees the same one first. The message is one line naming the flag as the
    /// command line spells it and what is allowed:
    ///
    ///     try GenerationOptions(strategy: .sample, topP: 1.5).validate(vocabSize: 512)
    ///     // throws "--top-p 1.5 is out of range: allowed 0 < p ≤ 1"
    public func validate(vocabSize: Int) throws(UserError) {
        if let t = temperature, !(t.isFinite && t >= 0) {
            throw UserError("--temperature \(Self.format(t)) is out of range: allowed T ≥ 0 (0 means greedy)")
        }
        if let k = topK, !(1...max(1, vocabSize)).contains(k) {
            throw UserError("--top-k \(k) is out of range: allowed 1 ≤ k ≤ \(vocabSize) (the vocabulary size)")
        }
        if let p = topP, !(p > 0 && p <= 1) {  // written so that NaN fails too
            throw UserError("--top-p \(Self.format(p)) is out of range: allowed 0 < p ≤ 1")
        }
        if let w = beamWidth, !(1...max(1, vocabSize)).contains(w) {
            throw UserError("--beam-width \(w) is out of range: allowed 1 ≤ W ≤ \(vocabSize) (the vocabulary size)")
        }
        if let a = lengthPenalty, !(a.isFinite && a >= 0) {
            throw UserError("--length-penalty \(Self.format(a)) is out of range: allowed A ≥ 0 (0 means no normalisation)")
        }
        if maxTokens < 1 {
            throw UserError("--max-tokens \(maxTokens) is out of range: allowed N ≥ 1")
        }
        let sampleOnly: [(String, Bool)] = [
            ("--temperature", temperature != nil), ("--top-k", topK != nil), ("--top-p", topP != nil),
        ]
        let beamOnly: [(String, Bool)] = [
            ("--beam-width", beamWidth != nil), ("--length-penalty", lengthPenalty != nil),
        ]
        if strategy != .sample, let (flag, _) = sampleOnly.first(where: { $0.1 }) {
            throw UserError("\(flag) applies only to --strategy sample, not \(strategy.rawValue)")
        }
        if strategy != .beam, let (flag, _) = beamOnly.first(where: { $0.1 }) {
            throw UserError("\(flag) applies only to --strategy beam, not \(strategy.rawValue)")
        }
    }

    /// `1.5` as `1.5` and `-1` as `-1` (not `-1.0`), as the user most likely typed it.
    static func format(_ x: Float) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
        return "\(x)"
    }
}
