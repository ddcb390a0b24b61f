import CCairo
import Foundation

/// The two cairo font faces (regular, bold) of the figure font, located once via fontconfig.
///
/// Faces are built from the font file and index only, so the machine's fontconfig hinting
/// settings cannot leak in; hinting is off everywhere (see `fontOptions`) so that measured
/// advances scale linearly and are the same for PNG at 1× and 2×, SVG and PDF.
final class FontLibrary: @unchecked Sendable {
    /// Family used for all figure text: Latin, Greek, math signs and Chinese in one face.
    static let family = "Noto Sans CJK SC"
    /// Text the font must cover, else we refuse to render (no tofu boxes).
    static let sample = "中文"
    static let package = "fonts-noto-cjk"

    /// Loaded on first use; immutable afterwards (cairo faces are thread-safe, refcounted).
    static let shared: Result<FontLibrary, FigureError> = Result { try FontLibrary(family: family) }
        .mapError { $0 as? FigureError ?? .cairo("\($0)") }

    let regular: OpaquePointer
    let bold: OpaquePointer
    let fontOptions: OpaquePointer
    // Measuring needs a context; one shared 1×1 surface, guarded by a lock.
    private let lock = NSLock()
    private let measureSurface: OpaquePointer
    private let measureContext: OpaquePointer
    private var cache: [MeasureKey: TextExtent] = [:]

    private struct MeasureKey: Hashable {
        var text: String
        var size: Double
        var weight: FontWeight
    }

    init(family: String) throws {
        let r = try FontLibrary.locate(family: family, weight: .regular, sample: FontLibrary.sample)
        let b = try FontLibrary.locate(family: family, weight: .bold, sample: FontLibrary.sample)
        regular = FontLibrary.face(file: r.file, index: r.index)
        bold = FontLibrary.face(file: b.file, index: b.index)
        fontOptions = cairo_font_options_create()
        cairo_font_options_set_hint_style(fontOptions, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(fontOptions, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(fontOptions, CAIRO_ANTIALIAS_GRAY)
        measureSurface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        measureContext = cairo_create(measureSurface)
        cairo_set_font_options(measureContext, fontOptions)
    }

    deinit {
        cairo_destroy(measureContext)
        cairo_surface_destroy(measureSurface)
        cairo_font_options_destroy(fontOptions)
        cairo_font_face_destroy(regular)
        cairo_font_face_destroy(bold)
    }

    func face(_ weight: FontWeight) -> OpaquePointer { weight == .bold ? bold : regular }

    /// Sets face, size and options on `cr`.
    func select(_ weight: FontWeight, size: Double, on cr: OpaquePointer) {
        cairo_set_font_face(cr, face(weight))
        cairo_set_font_size(cr, size)
        cairo_set_font_options(cr, fontOptions)
    }

    func measure(_ text: String, size: Double, weight: FontWeight) -> TextExtent {
        let key = MeasureKey(text: text, size: size, weight: weight)
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[key] { return hit }
        select(weight, size: size, on: measureContext)
        var t = cairo_text_extents_t()
        cairo_text_extents(measureContext, text, &t)
        let hasInk = t.width > 0 || t.height > 0
        let e = TextExtent(
            advance: t.x_advance,
            minX: hasInk ? min(0, t.x_bearing) : 0,
            maxX: hasInk ? max(t.x_advance, t.x_bearing + t.width) : t.x_advance,
            ascent: max(TextExtent.emAscent * size, hasInk ? -t.y_bearing : 0),
            descent: max(TextExtent.emDescent * size, hasInk ? t.y_bearing + t.height : 0))
        cache[key] = e
        return e
    }

    private static func face(file: String, index: Int32) -> OpaquePointer {
        let p = FcPatternCreate()!
        defer { FcPatternDestroy(p) }
        file.withCString { s in
            s.withMemoryRebound(to: FcChar8.self, capacity: file.utf8.count + 1) {
                _ = FcPatternAddString(p, FC_FILE, $0)
            }
        }
        FcPatternAddInteger(p, FC_INDEX, index)
        // cairo keeps its own reference to the pattern.
        return cairo_ft_font_face_create_for_pattern(p)
    }

    /// Finds the file of `family` at `weight` and checks it covers every character of `sample`.
    ///
    /// fontconfig always answers with *some* font, so the family of the match is compared too.
    static func locate(family: String, weight: FontWeight, sample: String) throws
        -> (file: String, index: Int32)
    {
        guard FcInit() != 0 else { throw FigureError.cairo("fontconfig failed to initialise") }
        let missing = FigureError.missingFont(family: family, sample: sample, package: package)
        let pattern = FcPatternCreate()!
        defer { FcPatternDestroy(pattern) }
        family.withCString { s in
            s.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) {
                _ = FcPatternAddString(pattern, FC_FAMILY, $0)
            }
        }
        FcPatternAddInteger(pattern, FC_WEIGHT, weight == .bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR)
        FcConfigSubstitute(nil, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, pattern, &result) else { throw missing }
        defer { FcPatternDestroy(match) }

        var familyPtr: UnsafeMutablePointer<FcChar8>?
        var found = false
        var i: Int32 = 0
        while FcPatternGetString(match, FC_FAMILY, i, &familyPtr) == FcResultMatch, let f = familyPtr {
            if String(cString: f).caseInsensitiveCompare(family) == .orderedSame { found = true }
            i += 1
        }
        guard found else { throw missing }

        var charset: OpaquePointer?
        guard FcPatternGetCharSet(match, FC_CHARSET, 0, &charset) == FcResultMatch, let cs = charset
        else { throw missing }
        for scalar in sample.unicodeScalars where FcCharSetHasChar(cs, scalar.value) == 0 {
            throw missing
        }
        var filePtr: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(match, FC_FILE, 0, &filePtr) == FcResultMatch, let file = filePtr
        else { throw missing }
        var index: Int32 = 0
        _ = FcPatternGetInteger(match, FC_INDEX, 0, &index)
        return (String(cString: file), index)
    }
}
