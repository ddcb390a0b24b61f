import TinyGPT
import Foundation

/// Number and text formatting shared by every value computation, so the same quantity always
/// reads the same way in every lesson (and the output is byte-stable).
public enum Format {
    /// `0.4123` with `digits` decimals (fixed, C locale).
    public static func fixed(_ x: Double, _ digits: Int = 3) -> String {
        if x.isNaN { return "NaN" }
        if x == -.infinity { return "−∞" }
        if x == .infinity { return "∞" }
        let s = String(format: "%.\(digits)f", x)
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s   // typographic minus; -0.000 reads as −0.000
    }

    /// A probability: three decimals.
    public static func prob(_ p: Double) -> String { fixed(p, 3) }

    /// A percentage with one decimal: `41.2%`.
    public static func percent(_ p: Double) -> String { fixed(100 * p, 1) + "%" }

    /// `1,234,567`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// Scientific notation for very small or large values: `3.2e-05`.
    public static func scientific(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)e", x) }

    /// Inline code for a token or short text, safe inside GFM tables: backticks widened,
    /// `|` escaped, line breaks shown as ↵.
    public static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: "↵").replacingOccurrences(of: "\n", with: "↵")
            .replacingOccurrences(of: "|", with: "\\|")
        var ticks = "`"
        while flat.contains(ticks) { ticks += "`" }
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") || flat.hasPrefix(" ") || flat.hasSuffix(" ") ? " " : ""
        return ticks + pad + flat + pad + ticks
    }

    /// A fenced code block (the fence grows past any backtick run in the text).
    public static func block(_ text: String, language: String = "text") -> String {
        var fence = "```"
        while text.contains(fence) { fence += "`" }
        return fence + language + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence
    }
}
