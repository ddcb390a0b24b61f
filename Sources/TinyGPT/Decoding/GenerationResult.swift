import Foundation

/// The output of one generation and the record of how every token was chosen.
///
///     var result = try model.generate(prompt: ids, options: options, endOfText: 50256)
///     result.text = tokenizer.decode(result.ids)
///     FileHandle.standardOutput.write(try result.jsonData())
///
/// JSON (keys sorted, one line): `{"beams": null | {...}, "ids": [..], "options": {...},
/// "prompt_ids": [..], "repetition": null | {...}, "steps": [{...}], "stop": "max_tokens",
/// "text": ".."}`; see `README.md ("gptx generate --json")`.
public struct GenerationResult: Codable, Equatable, Sendable {
    /// The prompt as token ids.
    public var promptIDs: [Int]
    /// The generated ids (an end-of-text token, when chosen, is the last one).
    public var ids: [Int]
    /// The generated text, supplied by the caller's tokenizer (decoding knows no tokenizer).
    public var text: String?
    /// Why generation stopped.
    public var stop: StopReason
    /// The options as given (absent knobs stay absent in JSON).
    public var options: GenerationOptions
    /// One record per generated token (greedy and sample); empty for beam search.
    public var steps: [StepRecord]
    /// The search tree (beam search only).
    public var beams: BeamTree?
    /// The first repeated n-gram (n ≥ 3) in the output, if any.
    public var repetition: RepetitionFlag?

    public init(promptIDs: [Int], ids: [Int], text: String? = nil, stop: StopReason,
                options: GenerationOptions, steps: [StepRecord], beams: BeamTree?,
                repetition: RepetitionFlag?) {
        self.promptIDs = promptIDs
        self.ids = ids
        self.text = text
        self.stop = stop
        self.options = options
        self.steps = steps
        self.beams = beams
        self.repetition = repetition
    }

    enum CodingKeys: String, CodingKey {
        case ids, text, stop, options, steps, beams, repetition
        case promptIDs = "prompt_ids"
    }

    // Written by hand so that absent parts are `null`, not missing keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(promptIDs, forKey: .promptIDs)
        try c.encode(ids, forKey: .ids)
        try c.encode(text, forKey: .text)
        try c.encode(stop, forKey: .stop)
        try c.encode(options, forKey: .options)
        try c.encode(steps, forKey: .steps)
        try c.encode(beams, forKey: .beams)
        try c.encode(repetition, forKey: .repetition)
    }

    /// This result with `text = decode(ids)`.
    ///
    ///     let json = try result.withText(tokenizer.decode).jsonData()
    public func withText(_ decode: ([Int]) -> String) -> GenerationResult {
        var copy = self
        copy.text = decode(ids)
        return copy
    }

    /// One JSON document, keys sorted, so the same result always gives the same bytes.
    /// Non-finite numbers (only a broken model produces them) are written as the strings
    /// `"inf"`, `"-inf"`, `"nan"` instead of failing.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
