import CCairo
import Foundation

/// A decoded PNG as premultiplied ARGB32 pixels, decoded by cairo (used by golden tests).
///
/// ```swift
/// let image = try Bitmap(png: try drawing.png())
/// image.width; image.pixel(x: 0, y: 0)   // 0xAARRGGBB
/// ```
public struct Bitmap: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major `0xAARRGGBB`, premultiplied alpha.
    public let pixels: [UInt32]

    /// Decodes PNG bytes with `cairo_image_surface_create_from_png_stream`.
    public init(png: Data) throws {
        final class Reader {
            let data: Data
            var offset = 0
            init(_ d: Data) { data = d }
        }
        let reader = Reader(png)
        let read: cairo_read_func_t = { closure, buffer, length in
            guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
            let r = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard r.offset + n <= r.data.count else { return CAIRO_STATUS_READ_ERROR }
            r.data.copyBytes(to: buffer, from: r.offset..<(r.offset + n))
            r.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        let surface = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())
        }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS,
              cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32
                || cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24
        else { throw FigureError.invalidPNG }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let base = cairo_image_surface_get_data(surface)!
        let opaque = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24
        var px = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { px[y * width + x] = opaque ? row[x] | 0xFF00_0000 : row[x] }
        }
        pixels = px
    }

    /// The pixel at (`x`, `y`) as `0xAARRGGBB`.
    public func pixel(x: Int, y: Int) -> UInt32 { pixels[y * width + x] }
}
