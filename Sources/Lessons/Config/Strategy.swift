import TinyGPT
/// A decoding strategy with its parameters, as a lesson scenario asks for it.
///
///     {"name": "topP", "p": 0.9, "temperature": 1.0}
public enum Strategy: Equatable, Sendable {
    /// Always the most probable token.
    case greedy
    /// Draw from softmax(logits / temperature).
    case sample(temperature: Double)
    /// Keep the k most probable tokens, renormalise, draw.
    case topK(k: Int, temperature: Double)
    /// Keep the smallest set whose probability reaches p, renormalise, draw.
    case topP(p: Double, temperature: Double)
    /// Keep the `width` best partial sequences by summed log-probability.
    case beam(width: Int)

    /// The names accepted in `lessons.json`.
    public static let names = ["greedy", "sample", "topK", "topP", "beam"]

    /// The config name of this strategy.
    public var name: String {
        switch self {
        case .greedy: "greedy"
        case .sample: "sample"
        case .topK: "topK"
        case .topP: "topP"
        case .beam: "beam"
        }
    }

    /// Whether the strategy draws at random (and so needs a seed).
    public var isRandom: Bool {
        switch self {
        case .sample, .topK, .topP: true
        case .greedy, .beam: false
        }
    }
}

/// The strategy object as written in `lessons.json`, before validation.
struct StrategyConfig: Codable, Equatable, Sendable {
    var name: String
    var temperature: Double?
    var k: Int?
    var p: Double?
    var width: Int?

    /// Checks the name and the ranges; the message is a fragment the caller prefixes with file and chapter.
    func resolve() throws(UserError) -> Strategy {
        func need(_ ok: Bool, _ message: String) throws(UserError) { if !ok { throw UserError(message) } }
        let t = temperature ?? 1
        try need(t > 0 && t <= 100, "strategy \(name): temperature \(t) is out of range: allowed 0 < T ≤ 100")
        switch name {
        case "greedy":
            try need(k == nil && p == nil && width == nil && temperature == nil, "strategy greedy takes no parameters")
            return .greedy
        case "sample":
            try need(k == nil && p == nil && width == nil, "strategy sample takes only temperature")
            return .sample(temperature: t)
        case "topK":
            guard let k else { throw UserError("strategy topK needs k (an integer ≥ 1)") }
            try need(k >= 1, "strategy topK: k \(k) is out of range: allowed k ≥ 1")
            return .topK(k: k, temperature: t)
        case "topP":
            guard let p else { throw UserError("strategy topP needs p (0 < p ≤ 1)") }
            try need(p > 0 && p <= 1, "strategy topP: p \(p) is out of range: allowed 0 < p ≤ 1")
            return .topP(p: p, temperature: t)
        case "beam":
            guard let width else { throw UserError("strategy beam needs width (1...16)") }
            try need((1...16).contains(width), "strategy beam: width \(width) is out of range: allowed 1...16")
            return .beam(width: width)
        default:
            throw UserError("unknown strategy \"\(name)\": known strategies are \(Strategy.names.joined(separator: ", "))")
        }
    }
}
