import CCairo
import Foundation

/// Writes a cairo ARGB32 image surface as PNG with zlib's run-length strategy.
///
/// cairo's own writer goes through libpng at its default compression, which measured 60 % of
/// the time of a 2× figure set; figures are mostly flat colour, which `Z_RLE` on "Up"-filtered
/// rows packs almost as small in a fraction of the time. The bytes depend only on the pixels,
/// so the same drawing still gives the same file.
enum PNGEncoder {
    static func encode(surface: OpaquePointer) throws -> Data {
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let base = cairo_image_surface_get_data(surface) else { throw FigureError.cairo("no image data") }
        // Opaque figures (every stage figure has a background) are written as RGB.
        var opaque = true
        for y in 0..<h where opaque {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w where row[x] >> 24 != 0xFF { opaque = false; break }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = w * channels
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * h)
        var previous = [UInt8](repeating: 0, count: rowBytes), current = previous
        raw.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<w {
                    let p = row[x]
                    var a = p >> 24, r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                    if a != 0xFF {
                        // Un-premultiply, rounding to nearest.
                        if a == 0 { (r, g, b) = (0, 0, 0) } else {
                            r = (r * 255 + a / 2) / a; g = (g * 255 + a / 2) / a; b = (b * 255 + a / 2) / a
                        }
                    } else { a = 0xFF }
                    let o = x * channels
                    current[o] = UInt8(r); current[o + 1] = UInt8(g); current[o + 2] = UInt8(b)
                    if channels == 4 { current[o + 3] = UInt8(a) }
                }
                let start = y * (rowBytes + 1)
                out[start] = 2  // filter "Up": flat regions become runs of zero
                for i in 0..<rowBytes { out[start + 1 + i] = current[i] &- previous[i] }
                swap(&previous, &current)
            }
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(w)); header.appendBigEndian(UInt32(h))
        header.append(contentsOf: [8, opaque ? 2 : 6, 0, 0, 0])
        chunk("IHDR", header, into: &png)
        chunk("IDAT", try deflate(raw), into: &png)
        chunk("IEND", Data(), into: &png)
        return png
    }

    private static func deflate(_ input: [UInt8]) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15, 8, Z_RLE, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FigureError.cairo("zlib failed to initialise")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        let status = input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress!)
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress!
                stream.avail_out = uInt(dst.count)
                return CCairo.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw FigureError.cairo("zlib failed to compress (\(status))") }
        return Data(output.prefix(Int(stream.total_out)))
    }

    private static func chunk(_ type: String, _ body: Data, into png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        png.append(typed)
        let crc = typed.withUnsafeBytes { crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        png.appendBigEndian(UInt32(crc))
    }
}

extension Data {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
