/// Maps data values to colours: a colormap over a domain.
///
/// Diverging scales are symmetric around 0, so white (or mid grey) always means zero.
///
/// ```swift
/// let s = ColorScale.diverging(values: [-0.3, 1.2], colormap: .blueWhiteRed)   // domain −1.2…1.2
/// s.color(for: 0)   // the map's middle
/// ```
public struct ColorScale: Hashable, Sendable {
    public var colormap: Colormap
    public var lower: Double
    public var upper: Double
    /// Whether the domain is symmetric around zero.
    public var isDiverging: Bool

    /// Creates a scale over `lower…upper`.
    public init(colormap: Colormap, lower: Double, upper: Double, isDiverging: Bool = false) {
        self.colormap = colormap
        self.lower = lower
        self.upper = upper
        self.isDiverging = isDiverging
    }

    /// Sequential scale over the finite values' range (or `range` when given).
    public static func sequential(values: [Double], colormap: Colormap = .viridis,
                                  range: ClosedRange<Double>? = nil) -> ColorScale
    {
        let finite = values.filter(\.isFinite)
        var lo = range?.lowerBound ?? finite.min() ?? 0
        var hi = range?.upperBound ?? finite.max() ?? 1
        if hi <= lo { (lo, hi) = (lo - 0.5, hi + 0.5) }
        return ColorScale(colormap: colormap, lower: lo, upper: hi)
    }

    /// Diverging scale over `−m…m`, `m` the largest finite magnitude (or `limit`).
    public static func diverging(values: [Double], colormap: Colormap = .blueWhiteRed,
                                 limit: Double? = nil) -> ColorScale
    {
        var m = limit ?? values.filter(\.isFinite).map(abs).max() ?? 1
        if !(m > 0) { m = 1 }
        return ColorScale(colormap: colormap, lower: -m, upper: m, isDiverging: true)
    }

    /// Position of `v` in the domain, 0…1 (clamped).
    public func fraction(_ v: Double) -> Double { min(1, max(0, (v - lower) / (upper - lower))) }

    /// The colour of `v`; callers handle non-finite values before asking.
    public func color(for v: Double) -> Color { colormap.color(at: fraction(v)) }
}
