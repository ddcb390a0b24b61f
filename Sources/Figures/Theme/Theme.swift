/// Colours, type sizes and spacing shared by every figure.
///
/// ```swift
/// let d = heatmap.drawing(size: .slide16x9, theme: .dark, title: "Attention", description: "…")
/// let handout = heatmap.drawing(size: .a4Landscape, theme: .print, title: "…", description: "…")
/// ```
public struct Theme: Hashable, Sendable {
    public var name: String
    public var background: Color
    /// Main text and axis lines.
    public var foreground: Color
    /// Secondary text: ticks, ids, captions.
    public var muted: Color
    /// Grid lines and cell borders.
    public var grid: Color
    /// Fill of boxes in diagrams and token strips.
    public var panel: Color
    /// The one thing to look at: the chosen token, the kept beam.
    public var highlight: Color
    /// Things left out: pruned beams, tokens cut by top-k.
    public var excluded: Color
    /// Fill and hatch of masked (−∞) cells.
    public var maskedFill: Color
    public var maskedHatch: Color
    /// Series and category colours, in order.
    public var categorical: [Color]
    /// Dash patterns per series (empty = solid), so print stays readable without colour.
    public var seriesDashes: [[Double]]
    public var sequential: Colormap
    public var diverging: Colormap

    /// Type sizes in points.
    public var titleSize: Double
    public var labelSize: Double
    public var tickSize: Double
    public var annotationSize: Double
    /// Smallest text ever drawn; below it labels are thinned or dropped.
    public var minimumTextSize: Double

    /// Outer margin of a figure and the gap between its parts, in points.
    public var margin: Double
    public var gap: Double
    public var lineWidth: Double

    /// Okabe & Ito (2008) colour-blind-safe palette, most distinct first (yellow last: weak on white).
    public static let okabeIto: [Color] = [
        0x0072B2, 0xD55E00, 0x009E73, 0xE69F00, 0xCC79A7, 0x56B4E9, 0x000000, 0xF0E442,
    ].map { Color(hex: $0) }

    /// Black on white, colour.
    public static let light = Theme(
        name: "light", background: .white, foreground: Color(hex: 0x1A1A1A), muted: Color(hex: 0x5F6368),
        grid: Color(hex: 0xDADCE0), panel: Color(hex: 0xF1F3F4), highlight: Color(hex: 0xD55E00),
        excluded: Color(hex: 0xBDC1C6), maskedFill: Color(hex: 0xE8EAED), maskedHatch: Color(hex: 0x9AA0A6),
        categorical: okabeIto, seriesDashes: [[]], sequential: .viridis, diverging: .blueWhiteRed,
        titleSize: 16, labelSize: 11, tickSize: 9, annotationSize: 8, minimumTextSize: 6,
        margin: 16, gap: 8, lineWidth: 1.5)

    /// Light text on near-black, for slides in a dark room.
    public static let dark = Theme(
        name: "dark", background: Color(hex: 0x121212), foreground: Color(hex: 0xECECEC),
        muted: Color(hex: 0xA0A4A8), grid: Color(hex: 0x3A3D41), panel: Color(hex: 0x24272B),
        highlight: Color(hex: 0xF0A030), excluded: Color(hex: 0x55595E), maskedFill: Color(hex: 0x2A2D31),
        maskedHatch: Color(hex: 0x6B7075),
        categorical: [0x56B4E9, 0xE69F00, 0x009E73, 0xCC79A7, 0xF0E442, 0xD55E00, 0x0072B2, 0xFFFFFF]
            .map { Color(hex: $0) },
        seriesDashes: [[]], sequential: .viridis, diverging: .blueWhiteRed,
        titleSize: 16, labelSize: 11, tickSize: 9, annotationSize: 8, minimumTextSize: 6,
        margin: 16, gap: 8, lineWidth: 1.5)

    /// Grayscale-safe handouts: grey maps monotone in lightness, series told apart by dashes.
    public static let print = Theme(
        name: "print", background: .white, foreground: .black, muted: Color(gray: 0.3),
        grid: Color(gray: 0.8), panel: Color(gray: 0.94), highlight: .black, excluded: Color(gray: 0.75),
        maskedFill: Color(gray: 0.9), maskedHatch: Color(gray: 0.45),
        categorical: [Color(gray: 0), Color(gray: 0.35), Color(gray: 0.55), Color(gray: 0.7)],
        seriesDashes: [[], [6, 3], [2, 2], [8, 3, 2, 3]], sequential: .grays, diverging: .grayDiverging,
        titleSize: 14, labelSize: 10, tickSize: 8, annotationSize: 7, minimumTextSize: 6,
        margin: 14, gap: 7, lineWidth: 1.2)

    /// Colour of series `i` (palette repeats).
    public func seriesColor(_ i: Int) -> Color { categorical[i % categorical.count] }

    /// Dash pattern of series `i`.
    public func seriesDash(_ i: Int) -> [Double] { seriesDashes[i % seriesDashes.count] }

    /// Text colour readable on `fill`: foreground-dark or white, by luminance.
    public func textColor(on fill: Color) -> Color {
        fill.luminance > 0.4 ? Color(hex: 0x111111) : .white
    }
}
