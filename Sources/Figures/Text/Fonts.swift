/// Text measurement with the figure font, for layout code.
///
/// The figure font is Noto Sans CJK SC (apt `fonts-noto-cjk`), found with fontconfig. If it
/// is missing, `measure` falls back to a rough estimate so layout can finish, and every
/// renderer throws `FigureError.missingFont`: no file is ever written with the wrong font.
///
/// ```swift
/// let w = Fonts.measure("Attention", size: 11).advance
/// let short = Fonts.elide("a very long token indeed", toWidth: 40, size: 9)   // "a very…"
/// try Fonts.check()   // throws if fonts-noto-cjk is not installed
/// ```
public enum Fonts {
    /// The family every figure uses.
    public static var family: String { FontLibrary.family }

    /// Throws `FigureError.missingFont` unless fontconfig has `family` covering `sample`.
    public static func check(family: String = "Noto Sans CJK SC", sample: String = "中文") throws {
        for weight in FontWeight.allCases {
            _ = try FontLibrary.locate(family: family, weight: weight, sample: sample)
        }
    }

    /// Measures one line of `text` at `size` points.
    public static func measure(_ text: String, size: Double, weight: FontWeight = .regular) -> TextExtent {
        switch FontLibrary.shared {
        case .success(let lib): return lib.measure(text, size: size, weight: weight)
        case .failure:
            // Estimate only so layout terminates; rendering will refuse to run.
            let w = text.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 1.0 : 0.6) } * size
            return TextExtent(advance: w, minX: 0, maxX: w, ascent: TextExtent.emAscent * size,
                              descent: TextExtent.emDescent * size)
        }
    }

    /// Width of the ink-and-advance box of `text`.
    public static func width(_ text: String, size: Double, weight: FontWeight = .regular) -> Double {
        let e = measure(text, size: size, weight: weight)
        return e.maxX - e.minX
    }

    /// `text` if it fits in `width`, else its longest prefix followed by "…" that fits
    /// (possibly just "…", or "" if not even that fits).
    public static func elide(_ text: String, toWidth width: Double, size: Double,
                             weight: FontWeight = .regular) -> String
    {
        if Fonts.width(text, size: size, weight: weight) <= width { return text }
        let chars = Array(text)
        var lo = 0, hi = chars.count  // largest prefix length that fits, by bisection
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            let candidate = String(chars[..<mid]).trimmingTrailingSpaces() + "…"
            if Fonts.width(candidate, size: size, weight: weight) <= width { lo = mid } else { hi = mid - 1 }
        }
        let result = String(chars[..<lo]).trimmingTrailingSpaces() + "…"
        return Fonts.width(result, size: size, weight: weight) <= width ? result : ""
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
