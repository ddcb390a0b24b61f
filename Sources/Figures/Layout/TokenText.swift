/// Token text made visible for labels: spaces as "␣", newlines as "\n", tabs as "\t".
///
/// ```swift
/// TokenText.display(" the")   // "␣the"
/// ```
public enum TokenText {
    /// The token with invisible characters replaced by visible stand-ins.
    public static func display(_ token: String) -> String {
        var out = ""
        for ch in token {
            switch ch {
            case " ": out += "␣"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out.isEmpty ? "∅" : out
    }
}
