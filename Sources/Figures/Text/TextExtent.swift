/// The measured size of one line of text, in points, relative to its baseline origin.
///
/// `advance` is where the next text would start; `minX…maxX` also covers ink that overhangs.
/// `ascent`/`descent` are at least the em box (0.88/0.12 em) and grow for taller ink.
///
/// ```swift
/// let e = Fonts.measure("Attention 注意力", size: 12)
/// let height = e.ascent + e.descent
/// ```
public struct TextExtent: Hashable, Sendable {
    public var advance: Double
    public var minX: Double
    public var maxX: Double
    public var ascent: Double
    public var descent: Double

    /// Em-box ascent of Noto Sans CJK (880/1000 units): where `.top` alignment puts the top.
    public static let emAscent = 0.88
    /// Em-box descent of Noto Sans CJK (120/1000 units).
    public static let emDescent = 0.12

    /// Creates an extent.
    public init(advance: Double, minX: Double, maxX: Double, ascent: Double, descent: Double) {
        self.advance = advance
        self.minX = minX
        self.maxX = maxX
        self.ascent = ascent
        self.descent = descent
    }
}
