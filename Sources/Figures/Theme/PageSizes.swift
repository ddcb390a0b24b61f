/// Page sizes figures are laid out for, in points.
///
/// ```swift
/// let d = chart.drawing(size: .slide16x9, theme: .light, title: "…", description: "…")
/// try d.png(scale: PixelScale.retina)
/// ```
extension Size {
    /// A 16:9 slide, 960 × 540 pt (13.33 × 7.5 in).
    public static let slide16x9 = Size(width: 960, height: 540)
    /// Half a 16:9 slide side by side with text, 480 × 540 pt.
    public static let halfSlide = Size(width: 480, height: 540)
    /// ISO A4 portrait, 210 × 297 mm.
    public static let a4Portrait = Size(width: 595.2756, height: 841.8898)
    /// ISO A4 landscape.
    public static let a4Landscape = Size(width: 841.8898, height: 595.2756)
    /// The text block of an A4 portrait handout with 20 mm margins, at a 3:2 figure ratio.
    public static let a4Figure = Size(width: 481.89, height: 321.26)
}

/// Pixels per point for `Drawing.png(scale:)`.
///
/// ```swift
/// try drawing.png(scale: PixelScale.standard)   // 1 px per pt
/// ```
public enum PixelScale {
    /// 1 px per pt (96-dpi-ish screens, previews).
    public static let standard = 1.0
    /// 2 px per pt (high-density screens, projectors, 144 dpi print).
    public static let retina = 2.0
}
