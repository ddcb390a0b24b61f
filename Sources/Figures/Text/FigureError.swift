/// What can go wrong while rendering, with a message a user can act on.
///
/// ```swift
/// do { _ = try drawing.png() } catch let e as FigureError { print(e.description) }
/// ```
public enum FigureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// fontconfig found no font of this family covering the sample text.
    case missingFont(family: String, sample: String, package: String)
    /// cairo reported an error status while drawing or encoding.
    case cairo(String)
    /// The bytes are not a PNG cairo can read.
    case invalidPNG

    public var description: String {
        switch self {
        case .missingFont(let family, let sample, let package):
            "no font '\(family)' covering \"\(sample)\" found by fontconfig; "
                + "install it with: sudo apt-get install \(package)"
        case .cairo(let status): "cairo error: \(status)"
        case .invalidPNG: "not a PNG image cairo can decode"
        }
    }
}
