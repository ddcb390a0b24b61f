import Foundation

/// How token positions enter the model.
///
/// - `learned`: a trained table `wpe` [T, C] added to the token embedding (GPT-2).
/// - `sinusoidal`: the fixed sin/cos table of "Attention Is All You Need", added likewise.
/// - `rope`: nothing is added; queries and keys are rotated by a position-dependent angle
///   inside every attention layer (RoFormer).
public enum PositionalEncoding: String, Codable, Sendable, CaseIterable {
    case learned, sinusoidal, rope
}

/// The shape of a model. Stored in the checkpoint as GPT-2's `config.json` keys.
///
///     let config = GPTConfig(vocabSize: 512, contextLength: 64, layers: 4, heads: 4, width: 64)
public struct GPTConfig: Equatable, Sendable, Codable {
    /// V: tokens in the vocabulary.
    public var vocabSize: Int
    /// T: the longest sequence the model reads.
    public var contextLength: Int
    /// L: transformer blocks.
    public var layers: Int
    /// NH: attention heads per block.
    public var heads: Int
    /// C: width of the residual stream.
    public var width: Int
    public var positional: PositionalEncoding

    public init(vocabSize: Int, contextLength: Int, layers: Int, heads: Int, width: Int,
                positional: PositionalEncoding = .learned) {
        self.vocabSize = vocabSize
        self.contextLength = contextLength
        self.layers = layers
        self.heads = heads
        self.width = width
        self.positional = positional
    }

    /// HS: width of one head.
    public var headSize: Int { width / heads }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", contextLength = "n_positions", layers = "n_layer"
        case heads = "n_head", width = "n_embd", positional
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        contextLength = try c.decode(Int.self, forKey: .contextLength)
        layers = try c.decode(Int.self, forKey: .layers)
        heads = try c.decode(Int.self, forKey: .heads)
        width = try c.decode(Int.self, forKey: .width)
        positional = try c.decodeIfPresent(PositionalEncoding.self, forKey: .positional) ?? .learned
    }

    /// Checks every value; the error names the key (as in config.json) and the allowed range.
    public func validate() throws(UserError) {
        func need(_ ok: Bool, _ message: String) throws(UserError) { if !ok { throw UserError(message) } }
        try need(vocabSize >= 2 && vocabSize <= 1 << 20, "vocab_size \(vocabSize) is out of range: allowed 2...1048576")
        try need(contextLength >= 1 && contextLength <= 4096, "n_positions \(contextLength) is out of range: allowed 1...4096")
        try need(layers >= 1 && layers <= 64, "n_layer \(layers) is out of range: allowed 1...64")
        try need(heads >= 1 && heads <= 64, "n_head \(heads) is out of range: allowed 1...64")
        try need(width >= 1 && width <= 4096, "n_embd \(width) is out of range: allowed 1...4096")
        try need(width % heads == 0, "n_embd \(width) is not divisible by n_head \(heads): each head needs an equal share")
        if positional == .rope {
            try need(headSize % 2 == 0, "positional rope needs an even head size, but n_embd/n_head = \(headSize)")
        }
    }

    /// The config as the JSON string stored in the checkpoint's `__metadata__["config"]`
    /// (sorted keys, so the same config gives the same bytes).
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain integers and a string cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Parses a config JSON string (GPT-2 `config.json` keys); the error names what is wrong.
    public static func parse(json: String, source: String) throws(UserError) -> GPTConfig {
        let config: GPTConfig
        do {
            config = try JSONDecoder().decode(GPTConfig.self, from: Data(json.utf8))
        } catch {
            throw UserError("\(source): model config is not valid: \(describe(error)); expected keys vocab_size, n_positions, n_embd, n_layer, n_head, positional (learned|sinusoidal|rope)")
        }
        do { try config.validate() } catch { throw UserError("\(source): \(error.message)") }
        return config
    }
}

/// A short, user-facing description of a decoding error.
func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "missing key \(key.stringValue)"
    case DecodingError.typeMismatch(_, let ctx): return "wrong type at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.valueNotFound(_, let ctx): return "missing value at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.dataCorrupted(let ctx):
        let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "not valid JSON" : "bad value at \(path)"
    default: return "\(error)"
    }
}
