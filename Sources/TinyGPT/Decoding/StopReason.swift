/// Why generation stopped.
///
/// - `endOfText`: the model chose the end-of-text token (it is kept as the last generated id).
/// - `maxTokens`: `--max-tokens` tokens were generated.
/// - `contextLimit`: prompt plus output filled the model's context (T tokens).
///
///     if result.stop == .contextLimit { print("the model cannot read further") }
public enum StopReason: String, Codable, Sendable {
    case endOfText = "end_of_text"
    case maxTokens = "max_tokens"
    case contextLimit = "context_limit"
}
