import CCairo
import Foundation

/// Writes a cairo ARGB32 image surface as PNG with zlib at level 1.
///
/// cairo's own writer goes through libpng at its default compression, which measured 60 % of
/// the time of a 2× figure set. Figures are mostly flat colour, and on "Up"-filtered rows zlib's
/// level 1 is as fast as `Z_RLE` and 40 % smaller (the lessons' PNGs: 40.8 MB with `Z_RLE`,
/// 24.6 MB at level 1; `gptx bench lessons` the same within noise). The bytes depend only on the pixels,
/// so the same drawing still gives the same file. `text` (UTF-8) goes into an `iTXt` chunk under
/// its keyword, right after the header, uncompressed so any PNG tool can show it.
enum PNGEncoder {
    static func encode(surface: OpaquePointer, text: (keyword: String, value: String)? = nil) throws -> Data {
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
        // Filtered rows, each led by its filter byte; rows are unfiltered into `current`, then
        // "Up" (byte minus the byte above) is written out, so flat regions become runs of zero.
        let rawCount = (rowBytes + 1) * h
        return try ScratchBuffers.shared.with(rawCount) { rawBytes in
        let raw = rawBytes.assumingMemoryBound(to: UInt8.self)
        var previous = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, rowBytes))
        var current = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, rowBytes))
        defer { previous.deallocate(); current.deallocate() }
        previous.initialize(repeating: 0, count: rowBytes)
        for y in 0..<h {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            let out = raw + y * (rowBytes + 1)
            out[0] = 2
            if opaque {
                // Byte-wise subtraction commutes with reordering the bytes, so "Up" is taken on
                // cairo's 0xAARRGGBB words directly against the row above (SWAR, no carries
                // between bytes), then R, G, B are stored.
                let above = y == 0 ? nil : UnsafeRawPointer(base + (y - 1) * stride).assumingMemoryBound(to: UInt32.self)
                let o = out + 1
                for x in 0..<w {
                    let a = row[x], b = above?[x] ?? 0
                    let d = ((a | 0x8080_8080) &- (b & 0x7F7F_7F7F)) ^ ((a ^ ~b) & 0x8080_8080)
                    o[3 * x] = UInt8(truncatingIfNeeded: d >> 16)
                    o[3 * x + 1] = UInt8(truncatingIfNeeded: d >> 8)
                    o[3 * x + 2] = UInt8(truncatingIfNeeded: d)
                }
                continue
            }
            for x in 0..<w {
                let p = row[x], a = p >> 24
                var r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                // Un-premultiply, rounding to nearest.
                if a == 0 { (r, g, b) = (0, 0, 0) } else if a != 0xFF {
                    r = (r * 255 + a / 2) / a; g = (g * 255 + a / 2) / a; b = (b * 255 + a / 2) / a
                }
                let o = current + x * 4
                o[0] = UInt8(r); o[1] = UInt8(g); o[2] = UInt8(b); o[3] = UInt8(a)
            }
            for i in 0..<rowBytes { out[1 + i] = current[i] &- previous[i] }
            swap(&previous, &current)
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(w)); header.appendBigEndian(UInt32(h))
        header.append(contentsOf: [8, opaque ? 2 : 6, 0, 0, 0])
        chunk("IHDR", header, into: &png)
        if let text {
            // keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated keyword, NUL, text.
            var body = Data(text.keyword.utf8)
            body.append(contentsOf: [0, 0, 0, 0, 0])
            body.append(Data(text.value.utf8))
            chunk("iTXt", body, into: &png)
        }
        chunk("IDAT", try deflate(UnsafeBufferPointer(start: raw, count: rawCount)), into: &png)
        chunk("IEND", Data(), into: &png)
        return png
        }
    }

    private static func deflate(_ input: UnsafeBufferPointer<UInt8>) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, 1, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FigureError.cairo("zlib failed to initialise")
        }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, uLong(input.count)))
        return try ScratchBuffers.shared.with(capacity) { outputBytes in
        let output = outputBytes.assumingMemoryBound(to: UInt8.self)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
        stream.avail_in = uInt(input.count)
        stream.next_out = output
        stream.avail_out = uInt(capacity)
        let status = CCairo.deflate(&stream, Z_FINISH)
        guard status == Z_STREAM_END else { throw FigureError.cairo("zlib failed to compress (\(status))") }
        return Data(bytes: output, count: Int(stream.total_out))
        }
    }

    /// The text of the first uncompressed `iTXt` chunk named `keyword`, if the chunks up to it
    /// are whole and their CRCs hold; `nil` otherwise.
    static func text(keyword: String, in png: [UInt8]) -> String? {
        var i = 8
        let key = Array(keyword.utf8)
        while i + 12 <= png.count {
            let length = Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3])
            guard length >= 0, i + 12 + length <= png.count else { return nil }
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = Array(png[(i + 8)..<(i + 8 + length)])
            let stored = UInt32(png[i + 8 + length]) << 24 | UInt32(png[i + 9 + length]) << 16
                | UInt32(png[i + 10 + length]) << 8 | UInt32(png[i + 11 + length])
            let crc = Array(png[(i + 4)..<(i + 8 + length)]).withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            guard UInt32(crc) == stored else { return nil }
            if type == "iTXt", body.count >= key.count + 5, Array(body[0..<key.count]) == key, body[key.count] == 0,
               body[key.count + 1] == 0
            {
                // Skip the language tag and the translated keyword (each NUL-terminated).
                var j = key.count + 3
                for _ in 0..<2 {
                    while j < body.count, body[j] != 0 { j += 1 }
                    j += 1
                }
                guard j <= body.count else { return nil }
                return String(validating: body[j...], as: UTF8.self)
            }
            if type == "IEND" { return nil }
            i += 12 + length
        }
        return nil
    }

    private static func chunk(_ type: String, _ body: Data, into png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        let name = Array(type.utf8)
        png.append(contentsOf: name)
        png.append(body)
        // The CRC covers the type and the body, computed in two steps to avoid a copy.
        var crc = name.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        crc = body.withUnsafeBytes { crc32(crc, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        png.appendBigEndian(UInt32(crc))
    }
}

extension Data {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
