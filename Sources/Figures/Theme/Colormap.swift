/// A continuous colour map over 0…1, interpolated between equally spaced stops.
///
/// ```swift
/// Colormap.viridis.color(at: 0)     // dark purple
/// Colormap.blueWhiteRed.color(at: 0.5)   // near white: the zero of a diverging scale
/// ```
public struct Colormap: Hashable, Sendable {
    public var name: String
    public var stops: [Color]

    /// Creates a map from at least two stops.
    public init(name: String, stops: [Color]) {
        precondition(stops.count >= 2, "a colormap needs at least two stops")
        self.name = name
        self.stops = stops
    }

    /// The colour at `t` (clamped to 0…1).
    public func color(at t: Double) -> Color {
        let u = min(1, max(0, t.isNaN ? 0 : t)) * Double(stops.count - 1)
        let i = min(Int(u), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], u - Double(i))
    }

    /// Perceptually uniform sequential map (matplotlib's viridis, 256 published entries).
    public static let viridis = Colormap(
        name: "viridis", stops: ViridisTable.rgb.map { Color(red: $0.0, green: $0.1, blue: $0.2) })

    /// Diverging blue–white–red for signed values: ColorBrewer RdBu (11 classes), negative blue.
    public static let blueWhiteRed = Colormap(name: "blue-white-red", stops: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
        0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    ].map { Color(hex: $0) })

    /// Sequential light-to-dark grey, for print: order survives photocopying.
    public static let grays = Colormap(name: "grays", stops: [Color(gray: 0.97), Color(gray: 0.08)])

    /// Diverging for print: dark (negative) through mid grey (zero) to light (positive),
    /// monotone in lightness so sign survives grayscale (cell values carry the number).
    public static let grayDiverging = Colormap(name: "gray-diverging",
                                               stops: [Color(gray: 0.1), Color(gray: 0.55), Color(gray: 0.97)])
}
